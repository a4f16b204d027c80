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
