import Engine
import Foundation
import NetIO
import Observability
import VisionCore

/// The whole server: HTTP transport, application, image worker pool, and the engine with its
/// vision encoder. `start()` binds and starts everything; `shutdown(drainTimeout:)` stops
/// accepting, lets in-flight responses finish, then stops the engine and the pool.
public final class VLServer: @unchecked Sendable {
    public let engine: Engine
    public let app: VLServeApp
    public let pool: WorkerPool
    public let registry: MetricsRegistry
    public let http: HTTPServer
    /// Returns freed heap to the OS when the engine goes idle; nil when disabled.
    public let trimmer: MemoryTrimmer?
    let logger: Logger

    /// Assembles a server from parts (tests pass seeded weights and port 0).
    /// - Parameters:
    ///   - encoder: the vision encoder the engine runs; nil skips encoding (images still count as tokens).
    ///   - preprocessThreads: threads of the image worker pool (≥ 1).
    ///   - memoryTrimInterval: least seconds between two `malloc_trim` calls when the engine goes idle; 0 disables.
    ///   - weightsIdentity: what identifies the encoder's weights in the image cache's keys (checkpoint path or seed).
    public init(app configuration: AppConfiguration, engine engineConfiguration: EngineConfiguration,
                server: ServerConfiguration, encoder: (any VisionEncoder)?, preprocessor: ImagePreprocessor,
                preprocessThreads: Int, memoryTrimInterval: Double = 5, clock: any EngineClock = SystemClock(),
                weightsIdentity: String = "unspecified", logger: Logger) throws {
        self.logger = logger
        registry = MetricsRegistry()
        ProcessMetrics.register(in: registry)
        VisionInfoMetric.register(in: registry, encoder: encoder)
        let metrics = EngineMetrics(registry: registry, modelName: configuration.primaryModelName,
                                    maxModelLen: configuration.maxModelLen,
                                    encoderLabels: encoder?.metricLabels ?? [])
        encoder?.registerMetrics(in: registry, labels: metrics.baseLabels)
        engine = Engine(configuration: engineConfiguration, metrics: metrics, encoder: encoder, clock: clock,
                        logger: logger.with(label: "engine"))
        pool = WorkerPool(threadCount: preprocessThreads, name: "vlserve-image")
        let imagePool = pool
        _ = registry.gauge("vlserve:image_pool_pending",
                           help: "Jobs (requests with images) waiting for an image worker; not counted in "
                               + "vllm:num_requests_waiting, which is the engine's queue as in vLLM.",
                           labels: metrics.baseLabels) { Double(imagePool.pendingCount) }
        let cache = ImageCache(gib: configuration.mmProcessorCacheGiB)
        cache.registerMetrics(in: registry, labels: metrics.baseLabels)
        let pipeline = ImagePipeline(loader: MediaLoader(options: configuration.media), preprocessor: preprocessor, cache: cache,
                                     cacheScope: ImageCacheKey.Scope(preprocessor: preprocessor,
                                                                     encoderLabels: encoder?.metricLabels ?? [],
                                                                     weights: weightsIdentity))
        app = VLServeApp(configuration: configuration, engine: engine, pipeline: pipeline, pool: pool,
                         registry: registry, logger: logger.with(label: "api"))
        do {
            http = try HTTPServer(configuration: server, handler: app, errorRenderer: .openAI)
        } catch {
            pool.shutdown()   // its threads are already running
            throw error
        }
        if memoryTrimInterval > 0 {
            let trimmer = MemoryTrimmer(minimumInterval: memoryTrimInterval)
            engine.onIdle { trimmer.request() }
            self.trimmer = trimmer
        } else {
            trimmer = nil
        }
    }

    /// Starts the engine thread and the HTTP loops; returns the bound port. If binding fails it throws;
    /// `shutdown()` then still stops the engine, the image pool and the trimmer.
    @discardableResult
    public func start() throws -> Int {
        engine.start()
        return try http.start()
    }

    /// Stops accepting, waits up to `drainTimeout` for streams in flight, then aborts what is left,
    /// stops the engine and joins the worker pool. After a failed `start()` the HTTP part returns at once
    /// (an `HTTPServer` whose `start()` threw is idle, with nothing open) and the rest happens as usual.
    public func shutdown(drainTimeout: Duration = .seconds(30)) async {
        app.beginDraining()
        await http.shutdown(drainTimeout: drainTimeout)
        engine.shutdown()
        pool.shutdown()
        trimmer?.shutdown()
    }
}

/// Everything `vlserve serve` configures, before anything is loaded.
public struct ServeOptions: Sendable {
    public var server: ServerConfiguration
    public var app: AppConfiguration
    public var engine: EngineConfiguration
    /// Directory with `config.json` and optionally `preprocessor_config.json` and safetensors.
    public var modelDirectory: String
    /// A safetensors file or directory; nil = the model directory's, else seeded weights.
    public var weightsPath: String?
    public var convImplementation: Conv3dImplementation
    /// `--dtype` of the vision GEMMs (auto: bfloat16 for bf16 weights on a CPU with native bf16).
    public var dtype: DTypeChoice = .auto
    /// `--gemm-backend` of the vision GEMMs (auto: openblas for float32, onednn for bfloat16).
    public var gemmBackend: GemmBackendChoice = .auto
    /// `--vision-encoder full`: the whole vision tower with these operators (their `gemm` is replaced by the
    /// resolved `--dtype`/`--gemm-backend`); nil runs the patch embedding only (`--conv-impl`).
    public var tower: VisionTowerOptions?
    /// Overrides the preprocessor's `max_pixels` (the resize budget) when set.
    public var maxPixels: Int?
    /// Overrides the preprocessor's `min_pixels` when set.
    public var minPixels: Int?
    public var preprocessThreads: Int
    /// Least seconds between two `malloc_trim(0)` calls when the engine goes idle; 0 disables (5).
    public var memoryTrimInterval: Double
    /// Directory (or file) with the `tokenizer.json` to use (`--tokenizer`); nil = the model directory's, if any.
    public var tokenizerPath: String? = nil

    public init(server: ServerConfiguration, app: AppConfiguration, engine: EngineConfiguration, modelDirectory: String,
                weightsPath: String?, convImplementation: Conv3dImplementation, maxPixels: Int?, minPixels: Int?,
                preprocessThreads: Int, memoryTrimInterval: Double = 5) {
        self.server = server
        self.app = app
        self.engine = engine
        self.modelDirectory = modelDirectory
        self.weightsPath = weightsPath
        self.convImplementation = convImplementation
        self.maxPixels = maxPixels
        self.minPixels = minPixels
        self.preprocessThreads = preprocessThreads
        self.memoryTrimInterval = memoryTrimInterval
    }
}

extension VLServer {
    /// Loads the model directory's configs and the vision weights, logs what was loaded, and builds the server.
    public static func load(_ options: ServeOptions, logger: Logger) throws -> VLServer {
        var preprocessorConfig: PreprocessorConfig
        let preprocessorPath = (options.modelDirectory as NSString).appendingPathComponent("preprocessor_config.json")
        if FileManager.default.fileExists(atPath: preprocessorPath) {
            preprocessorConfig = try PreprocessorConfig.load(modelDirectory: options.modelDirectory)
            logger.notice("preprocessor: \(preprocessorPath)")
        } else {
            preprocessorConfig = .qwen25VLDefault
            logger.notice("preprocessor: no preprocessor_config.json in \(options.modelDirectory); using the released "
                            + "Qwen2.5-VL values (min_pixels 3136, max_pixels 12845056)")
        }
        if let maxPixels = options.maxPixels { preprocessorConfig.maxPixels = maxPixels }
        if let minPixels = options.minPixels { preprocessorConfig.minPixels = minPixels }
        try preprocessorConfig.validate()
        let (weights, description) = try VisionWeights.load(modelDirectory: options.modelDirectory,
                                                            weightsPath: options.weightsPath)
        logger.notice("weights: \(description)")
        let gemm = try GemmConfiguration.resolve(dtype: options.dtype, backend: options.gemmBackend,
                                                 weightsAreBFloat16: weights.isBFloat16)
        logger.notice("vision: \(VisionInfo.summary); \(VisionThreads.count) GEMM thread(s)")
        let encoder: any VisionEncoder
        var framesPerPatch: Int?
        if var towerOptions = options.tower {
            towerOptions.gemm = gemm
            let tower = try VisionTower(weights: VisionTowerWeights(weights), options: towerOptions)
            encoder = TowerEncoder(tower: tower)
            let kernels = tower.kernelNames(rows: 1024).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            logger.notice("vision encoder: the whole tower (\(weights.config.depth) blocks, out \(weights.config.outHiddenSize)), "
                            + "\(towerOptions), dtype \(gemm.dtype.rawValue) (--dtype \(options.dtype.rawValue)); kernels: "
                            + kernels.joined(separator: ", "))
        } else {
            let patch = PatchEmbeddingEncoder(embedding: try weights.patchEmbedding(gemm: gemm),
                                              implementation: options.convImplementation)
            encoder = patch
            framesPerPatch = patch.framesPerPatch
            logger.notice("patch embedding: conv implementation \(options.convImplementation.rawValue), dtype \(gemm.dtype.rawValue) "
                            + "(--dtype \(options.dtype.rawValue)), backend \(gemm.backend.rawValue), "
                            + "[N, \(patch.embedding.inputSize)] -> [N, \(weights.config.hiddenSize)], kernel \(patch.kernelName)")
        }
        let cost = options.engine.costModel
        logger.notice("engine: max_num_seqs \(options.engine.maxNumSeqs), max_num_batched_tokens \(options.engine.maxNumBatchedTokens), "
                        + "max_patches_per_step \(options.engine.maxPatchesPerStep), max_waiting_requests \(options.engine.maxWaitingRequests), "
                        + "cost model decode_step_ms \(cost.decodeStepMs) + per_seq_ms \(cost.perSequenceMs), "
                        + "prefill_ms_per_1k_tokens \(cost.prefillMsPer1kTokens)")
        logger.notice("api: model \(options.app.servedModelNames.joined(separator: ", ")) (root \(options.app.modelRoot)), "
                        + "max_model_len \(options.app.maxModelLen), images per prompt ≤ \(options.app.maxImagesPerPrompt), "
                        + "max_pixels \(preprocessorConfig.maxPixels), auth \(options.app.apiKeys.isEmpty ? "off" : "on"), "
                        + "image threads \(options.preprocessThreads), "
                        + "memory trim \(options.memoryTrimInterval > 0 ? "every ≥ \(options.memoryTrimInterval) s when idle" : "off"), "
                        + "image cache \(options.app.mmProcessorCacheGiB > 0 ? "\(options.app.mmProcessorCacheGiB) GiB (SHA-256 keys: \(SHA256.Implementation.best.rawValue))" : "off")")
        let tokenizer = try options.loadTokenizer(logger: logger)
        var app = options.app, engine = options.engine
        app.tokenizer = tokenizer
        engine.tokenizer = tokenizer
        return try VLServer(app: app, engine: engine, server: options.server, encoder: encoder,
                            preprocessor: ImagePreprocessor(config: preprocessorConfig, framesPerPatch: framesPerPatch),
                            preprocessThreads: options.preprocessThreads,
                            memoryTrimInterval: options.memoryTrimInterval,
                            weightsIdentity: "\(weights.source)", logger: logger)
    }
}
