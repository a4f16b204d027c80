import ArgumentParser
import Engine
import Foundation
import NetIO
import Observability
import VisionCore
import VLServeKit

/// `vlserve serve` (the default subcommand): the OpenAI-compatible server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the OpenAI-compatible API (chat completions with images, completions, models, metrics).",
        discussion: """
            The vision path is real (image decoding, Qwen2.5-VL preprocessing, the Conv3d patch embedding on the \
            CPU, its GEMMs on OpenBLAS or oneDNN in float32 or bfloat16: --dtype, --gemm-backend); the language model is a stub whose accelerator time is simulated by sleeping: \
            decode-step-ms + decode-ms-per-seq x batch per step, plus prefill-ms-per-1k-tokens. Set them to 0 to measure \
            the server alone. SIGINT/SIGTERM turn /health to 503, stop accepting (after --readiness-grace), let streams finish within --drain-timeout, exit 0.
            """)

    // MARK: Network
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "TCP port (0 picks a free one).") var port = 8000
    @Option(name: .customLong("event-loops"), help: "HTTP event-loop threads (default: online cores).")
    var eventLoops: Int?
    @Option(name: .customLong("drain-timeout"), help: "Seconds to let streams finish on SIGINT/SIGTERM.")
    var drainTimeout: Double = 30
    @Option(name: .customLong("readiness-grace"),
            help: "Seconds after SIGINT/SIGTERM during which /health answers 503 but the server still accepts and serves, so a balancer's health check takes it out before its listener closes (0: close at once; in Kubernetes use a preStop sleep instead).")
    var readinessGrace: Double = 0
    @Option(name: .customLong("client-eof"),
            help: "A client that closes its sending side while its response is pending: abort (as vLLM: the request is cancelled) or finish (treat it as a half-close and still answer).")
    var clientEOF = ClientEOF.abort

    // MARK: Model
    @Option(name: .customLong("model-dir"), help: "Directory with config.json (and optionally preprocessor_config.json, safetensors).")
    var modelDir = "models/qwen2.5-vl-7b"
    @Option(name: .customLong("served-model-name"), parsing: .upToNextOption,
            help: "Model name(s) accepted in requests and listed by /v1/models (default: the model directory's name).")
    var servedModelName: [String] = []
    @Option(name: .customLong("model-root"), help: "`root` in /v1/models: a tokenizer id or path for clients (default: the Qwen repo id matching --model-dir).")
    var modelRoot: String?
    @Option(help: "Safetensors file or directory with visual.patch_embed.proj.weight (default: the model directory's, else seeded).")
    var weights: String?
    @Option(help: "Directory (or file) with a Hugging Face tokenizer.json (default: the model directory's if it has one, else the built-in stub vocabulary).")
    var tokenizer: String?
    @Option(name: .customLong("conv-impl"), help: "Conv3d implementation of the patch embedding.")
    var convImpl = Conv3dImplementation.auto

    @Option(name: .customLong("vision-encoder"),
            help: "patch-embed (the Conv3d patch embedding only; the stub decoder stands in for the rest) or full (the whole vision tower, --vit-* operators).")
    var visionEncoder: VisionEncoderScope = .patchEmbed

    // MARK: Vision GEMMs
    @OptionGroup(title: "Vision GEMMs") var gemm: GemmOptions
    @OptionGroup(title: "Vision operators (--vision-encoder full)") var operators: VisionOperatorFlags

    // MARK: Cost model
    @Option(name: .customLong("decode-step-ms"), help: "Simulated time of one decode step, ms.")
    var decodeStepMs = CostModel.defaultDecodeStepMs
    @Option(name: [.customLong("decode-ms-per-seq"), .customLong("per-seq-ms")],
            help: "Simulated extra decode time per running sequence, ms.")
    var perSeqMs = CostModel.defaultPerSequenceMs
    @Option(name: .customLong("prefill-ms-per-1k-tokens"), help: "Simulated prefill time per 1000 prompt tokens, ms.")
    var prefillMsPer1kTokens = CostModel.defaultPrefillMsPer1kTokens
    @Option(name: .customLong("memory-trim-interval"),
            help: "Least seconds between two malloc_trim calls that return freed memory to the OS when the engine goes idle (0 = off).")
    var memoryTrimInterval = 5.0
    @Option(name: .customLong("eos-interval"), help: "Mean tokens between EOS draws of the stub decoder (without ignore_eos).")
    var eosInterval: UInt64 = 128

    // MARK: Limits
    @Option(name: .customLong("max-num-seqs"), help: "Most sequences in the running batch.")
    var maxNumSeqs = 256
    @Option(name: .customLong("max-num-batched-tokens"), help: "Token budget per engine step (prefill + one per decoding sequence).")
    var maxNumBatchedTokens = 8192
    @Option(name: .customLong("max-patches-per-step"), help: "Patch rows per batched patch embedding.")
    var maxPatchesPerStep = 16384
    @Option(name: .customLong("max-waiting-requests"), help: "Requests allowed to wait; more get 503 + Retry-After.")
    var maxWaitingRequests = 4096
    @Option(name: .customLong("max-model-len"), help: "Context window: prompt (image tokens included) + output tokens.")
    var maxModelLen = 32768
    @Option(name: .customLong("block-size"), help: "Tokens per block of the simulated KV cache (vllm:kv_cache_usage_perc).")
    var blockSize = EngineConfiguration.defaultBlockSize
    @Option(name: .customLong("num-gpu-blocks-override"),
            help: "Blocks of the simulated KV cache; when full, new requests wait and the newest running one is preempted.")
    var numGPUBlocks = EngineConfiguration.defaultKVCacheBlocks
    @Option(name: .customLong("limit-mm-per-prompt"), help: "Images per request, as vLLM: '{\"image\": N}' or N.")
    var limitMMPerPrompt = "{\"image\": 999}"
    @Option(name: .customLong("max-pixels"), help: "Override preprocessor_config.json's max_pixels (resize budget).")
    var maxPixels: Int?
    @Option(name: .customLong("min-pixels"), help: "Override preprocessor_config.json's min_pixels.")
    var minPixels: Int?
    @Option(name: .customLong("max-image-decode-pixels"), help: "Most pixels an image may declare before decoding.")
    var maxImageDecodePixels = 89_478_485
    @Option(name: .customLong("max-media-bytes"), help: "Most encoded bytes per image.")
    var maxMediaBytes = 20 << 20
    @Option(name: .customLong("media-fetch-timeout"), help: "Timeout of an http:// image fetch, seconds.")
    var mediaFetchTimeout: Double = 5
    @Option(name: .customLong("image-threads"), help: "Image fetch/decode/preprocess threads (default: online cores).")
    var imageThreads: Int?
    @Option(name: .customLong("mm-processor-cache-gb"), parsing: .unconditional,
            help: "GiB of the image cache, as vLLM's flag: pixel values and encoder outputs by image content (SHA-256) and configuration; a repeated image skips decoding, preprocessing and encoding (0 = off).")
    var mmProcessorCacheGB = "\(AppConfiguration.defaultMMProcessorCacheGiB)"

    // MARK: Access
    @Option(name: .customLong("api-key"), parsing: .upToNextOption,
            help: "Accepted bearer token(s) for /v1/*, /tokenize, /detokenize (also $VLSERVE_API_KEY).")
    var apiKey: [String] = []
    @Option(name: .customLong("allowed-local-media-path"), help: "Directory under which file:// image URLs may be read.")
    var allowedLocalMediaPath: String?
    @Option(name: .customLong("allowed-media-domains"), parsing: .upToNextOption, help: "Hosts whose http:// image URLs are fetched.")
    var allowedMediaDomains: [String] = []

    @Option(name: .customLong("log-level"), help: "Least level logged (warn is accepted for warning).")
    var logLevel = LogLevelArgument.info

    func validate() throws {
        do throws(FlagValueError) {
            _ = try AppConfiguration.imageLimit(parsing: limitMMPerPrompt)
            _ = try AppConfiguration.cacheGiB(parsing: mmProcessorCacheGB)
        } catch {
            throw ValidationError(error.description)
        }
        if let path = allowedLocalMediaPath {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--allowed-local-media-path \(path) is not an existing directory")
            }
        }
        for (name, value) in [("--decode-step-ms", decodeStepMs), ("--decode-ms-per-seq", perSeqMs),
                              ("--prefill-ms-per-1k-tokens", prefillMsPer1kTokens), ("--drain-timeout", drainTimeout),
                              ("--readiness-grace", readinessGrace),
                              ("--memory-trim-interval", memoryTrimInterval)]
        where value < 0 || !value.isFinite {
            throw ValidationError("\(name) must be a non-negative number, got \(value)")
        }
        for (name, value) in [("--max-num-seqs", maxNumSeqs), ("--max-model-len", maxModelLen),
                              ("--max-num-batched-tokens", maxNumBatchedTokens), ("--max-patches-per-step", maxPatchesPerStep),
                              ("--block-size", blockSize), ("--num-gpu-blocks-override", numGPUBlocks)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        if visionEncoder == .full && convImpl != .auto {
            throw ValidationError("--conv-impl \(convImpl.rawValue) applies to --vision-encoder patch-embed; the whole tower "
                + "embeds patches with its own exact GEMM (drop --conv-impl, or use --vision-encoder patch-embed)")
        }
        // As vLLM: the whole context of one request must fit the KV cache.
        if maxModelLen > blockSize * numGPUBlocks {
            throw ValidationError("--max-model-len \(maxModelLen) is larger than the simulated KV cache holds "
                + "(\(numGPUBlocks) blocks x \(blockSize) tokens = \(blockSize * numGPUBlocks)); lower --max-model-len or raise "
                + "--num-gpu-blocks-override")
        }
    }

    func run() throws {
        // Before any thread starts, so that every thread inherits the blocked stop signals.
        let stopSignals = StopSignals.install()
        let logger = Logger(label: "vlserve", minimumLevel: logLevel.level)
        let vlserver: VLServer
        do {
            vlserver = try VLServer.load(try options(logger: logger), logger: logger)
        } catch {
            logger.error("startup failed: \(error)")
            throw ExitCode.failure
        }
        let lifecycle = ServeLifecycle(server: vlserver, host: host, drainTimeout: .milliseconds(Int64(drainTimeout * 1000)),
                                       readinessGrace: .milliseconds(Int64(readinessGrace * 1000)), logger: logger)
        do {
            try lifecycle.start()
        } catch {
            throw ExitCode.failure
        }
        _ = lifecycle.waitForStopThenShutdown(stopSignals)
    }

    /// The flags as the server's configuration.
    private func options(logger: Logger) throws -> ServeOptions {
        var keys = apiKey
        if keys.isEmpty, let environment = ProcessInfo.processInfo.environment["VLSERVE_API_KEY"], !environment.isEmpty {
            keys = [environment]
        }
        let media = MediaOptions(allowedLocalMediaPath: allowedLocalMediaPath, allowedMediaDomains: allowedMediaDomains,
                                 fetchTimeoutSeconds: mediaFetchTimeout, maxMediaBytes: maxMediaBytes,
                                 maxDecodedPixels: maxImageDecodePixels)
        let names = servedModelName.isEmpty ? [(modelDir as NSString).lastPathComponent] : servedModelName
        let app = AppConfiguration(servedModelNames: names,
                                   modelRoot: modelRoot ?? AppConfiguration.defaultModelRoot(modelDirectory: modelDir),
                                   maxModelLen: maxModelLen,
                                   maxImagesPerPrompt: try AppConfiguration.imageLimit(parsing: limitMMPerPrompt),
                                   apiKeys: keys, media: media,
                                   mmProcessorCacheGiB: try AppConfiguration.cacheGiB(parsing: mmProcessorCacheGB),
                                   createdAt: Int(Date().timeIntervalSince1970))
        let engine = EngineConfiguration(modelName: names[0], maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
                                         maxPatchesPerStep: maxPatchesPerStep, maxWaitingRequests: maxWaitingRequests,
                                         maxModelLen: maxModelLen,
                                         costModel: CostModel(decodeStepMs: decodeStepMs, perSequenceMs: perSeqMs,
                                                              prefillMsPer1kTokens: prefillMsPer1kTokens),
                                         eosInterval: eosInterval, blockSize: blockSize, kvCacheBlocks: numGPUBlocks)
        let httpLogger = logger.with(label: "http")
        let server = ServerConfiguration(host: host, port: port, eventLoopCount: eventLoops ?? ServerConfiguration.onlineCores,
                                         peerEOFWhileResponding: clientEOF.policy,
                                         log: { line in httpLogger.warning(line) })
        VisionThreads.set(gemm.visionThreads ?? VisionThreads.defaultCount)
        var options = ServeOptions(server: server, app: app, engine: engine, modelDirectory: modelDir, weightsPath: weights,
                                   convImplementation: convImpl, maxPixels: maxPixels, minPixels: minPixels,
                                   preprocessThreads: imageThreads ?? ServerConfiguration.onlineCores,
                                   memoryTrimInterval: memoryTrimInterval)
        options.dtype = gemm.dtype
        options.gemmBackend = gemm.gemmBackend
        options.tokenizerPath = tokenizer
        if visionEncoder == .full { options.tower = operators.options(gemm: .openblasFloat32) }
        return options
    }
}
