import ArgumentParser
import Foundation
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

    /// The defaults, shown by `--help`.
    static let defaults = ServeFlags()

    // MARK: Network
    @Option(help: "Address to bind.") var host = Self.defaults.host
    @Option(help: "TCP port (0 picks a free one).") var port = Self.defaults.port
    @Option(name: .customLong("event-loops"), help: "HTTP event-loop threads (default: online cores).")
    var eventLoops: Int?
    @Option(name: .customLong("drain-timeout"), help: "Seconds to let streams finish on SIGINT/SIGTERM.")
    var drainTimeout = Self.defaults.drainTimeout
    @Option(name: .customLong("readiness-grace"),
            help: "Seconds after SIGINT/SIGTERM during which /health answers 503 but the server still accepts and serves, so a balancer's health check takes it out before its listener closes (0: close at once; in Kubernetes use a preStop sleep instead).")
    var readinessGrace = Self.defaults.readinessGrace
    @Option(name: .customLong("client-eof"),
            help: "A client that closes its sending side while its response is pending: abort (as vLLM: the request is cancelled) or finish (treat it as a half-close and still answer).")
    var clientEOF = ClientEOF.abort

    // MARK: Model
    @Option(name: .customLong("model-dir"), help: "Directory with config.json (and optionally preprocessor_config.json, safetensors).")
    var modelDir = Self.defaults.modelDirectory
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
    var convImpl = Self.defaults.convImplementation

    @Option(name: .customLong("vision-encoder"),
            help: "patch-embed (the Conv3d patch embedding only; the stub decoder stands in for the rest) or full (the whole vision tower, --vit-* operators).")
    var visionEncoder = Self.defaults.visionEncoder

    // MARK: Vision GEMMs
    @OptionGroup(title: "Vision GEMMs") var gemm: GemmOptions
    @OptionGroup(title: "Vision operators (--vision-encoder full)") var operators: VisionOperatorFlags

    // MARK: Cost model
    @Option(name: .customLong("decode-step-ms"), help: "Simulated time of one decode step, ms.")
    var decodeStepMs = Self.defaults.decodeStepMs
    @Option(name: [.customLong("decode-ms-per-seq"), .customLong("per-seq-ms")],
            help: "Simulated extra decode time per running sequence, ms.")
    var perSeqMs = Self.defaults.perSequenceMs
    @Option(name: .customLong("prefill-ms-per-1k-tokens"), help: "Simulated prefill time per 1000 prompt tokens, ms.")
    var prefillMsPer1kTokens = Self.defaults.prefillMsPer1kTokens
    @Option(name: .customLong("memory-trim-interval"),
            help: "Least seconds between two malloc_trim calls that return freed memory to the OS when the engine goes idle (0 = off).")
    var memoryTrimInterval = Self.defaults.memoryTrimInterval
    @Option(name: .customLong("eos-interval"), help: "Mean tokens between EOS draws of the stub decoder (without ignore_eos).")
    var eosInterval = Self.defaults.eosInterval

    // MARK: Limits
    @Option(name: .customLong("max-num-seqs"), help: "Most sequences in the running batch.")
    var maxNumSeqs = Self.defaults.maxNumSeqs
    @Option(name: .customLong("max-num-batched-tokens"), help: "Token budget per engine step (prefill + one per decoding sequence).")
    var maxNumBatchedTokens = Self.defaults.maxNumBatchedTokens
    @Option(name: .customLong("max-patches-per-step"), help: "Patch rows per batched patch embedding.")
    var maxPatchesPerStep = Self.defaults.maxPatchesPerStep
    @Option(name: .customLong("max-waiting-requests"), help: "Requests allowed to wait; more get 503 + Retry-After.")
    var maxWaitingRequests = Self.defaults.maxWaitingRequests
    @Option(name: .customLong("max-model-len"), help: "Context window: prompt (image tokens included) + output tokens.")
    var maxModelLen = Self.defaults.maxModelLen
    @Option(name: .customLong("block-size"), help: "Tokens per block of the simulated KV cache (vllm:kv_cache_usage_perc).")
    var blockSize = Self.defaults.blockSize
    @Option(name: .customLong("num-gpu-blocks-override"),
            help: "Blocks of the simulated KV cache; when full, new requests wait and the newest running one is preempted.")
    var numGPUBlocks = Self.defaults.kvCacheBlocks
    @Option(name: .customLong("limit-mm-per-prompt"), help: "Images per request, as vLLM: '{\"image\": N}' or N.")
    var limitMMPerPrompt = Self.defaults.limitMMPerPrompt
    @Option(name: .customLong("max-pixels"), help: "Override preprocessor_config.json's max_pixels (resize budget).")
    var maxPixels: Int?
    @Option(name: .customLong("min-pixels"), help: "Override preprocessor_config.json's min_pixels.")
    var minPixels: Int?
    @Option(name: .customLong("max-image-decode-pixels"), help: "Most pixels an image may declare before decoding.")
    var maxImageDecodePixels = Self.defaults.maxImageDecodePixels
    @Option(name: .customLong("max-media-bytes"), help: "Most encoded bytes per image.")
    var maxMediaBytes = Self.defaults.maxMediaBytes
    @Option(name: .customLong("media-fetch-timeout"), help: "Timeout of an http:// image fetch, seconds.")
    var mediaFetchTimeout = Self.defaults.mediaFetchTimeout
    @Option(name: .customLong("image-threads"), help: "Image fetch/decode/preprocess threads (default: online cores).")
    var imageThreads: Int?
    @Option(name: .customLong("mm-processor-cache-gb"), parsing: .unconditional,
            help: "GiB of the image cache, as vLLM's flag: pixel values and encoder outputs by image content (SHA-256) and configuration; a repeated image skips decoding, preprocessing and encoding (0 = off).")
    var mmProcessorCacheGB = Self.defaults.mmProcessorCacheGB

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

    /// The flag values as given (`ServeFlags.validate()` checks them).
    var flags: ServeFlags {
        var f = ServeFlags()
        f.host = host
        f.port = port
        f.eventLoops = eventLoops
        f.drainTimeout = drainTimeout
        f.readinessGrace = readinessGrace
        f.peerEOFWhileResponding = clientEOF.policy
        f.modelDirectory = modelDir
        f.servedModelNames = servedModelName
        f.modelRoot = modelRoot
        f.weights = weights
        f.tokenizer = tokenizer
        f.convImplementation = convImpl
        f.visionEncoder = visionEncoder
        f.dtype = gemm.dtype
        f.gemmBackend = gemm.gemmBackend
        f.towerOperators = operators.options(gemm: .openblasFloat32)
        f.decodeStepMs = decodeStepMs
        f.perSequenceMs = perSeqMs
        f.prefillMsPer1kTokens = prefillMsPer1kTokens
        f.memoryTrimInterval = memoryTrimInterval
        f.eosInterval = eosInterval
        f.maxNumSeqs = maxNumSeqs
        f.maxNumBatchedTokens = maxNumBatchedTokens
        f.maxPatchesPerStep = maxPatchesPerStep
        f.maxWaitingRequests = maxWaitingRequests
        f.maxModelLen = maxModelLen
        f.blockSize = blockSize
        f.kvCacheBlocks = numGPUBlocks
        f.limitMMPerPrompt = limitMMPerPrompt
        f.maxPixels = maxPixels
        f.minPixels = minPixels
        f.maxImageDecodePixels = maxImageDecodePixels
        f.maxMediaBytes = maxMediaBytes
        f.mediaFetchTimeout = mediaFetchTimeout
        f.imageThreads = imageThreads
        f.mmProcessorCacheGB = mmProcessorCacheGB
        f.apiKeys = apiKey
        f.allowedLocalMediaPath = allowedLocalMediaPath
        f.allowedMediaDomains = allowedMediaDomains
        return f
    }

    /// Rejected values are reported with this command's usage, before anything runs.
    func validate() throws {
        do throws(FlagValueError) {
            try flags.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        // Before any thread starts, so that every thread inherits the blocked stop signals.
        let stopSignals = StopSignals.install()
        let logger = Logger(label: "vlserve", minimumLevel: logLevel.level)
        let flags = self.flags
        VisionThreads.set(gemm.visionThreads ?? VisionThreads.defaultCount)
        let vlserver: VLServer
        do {
            let options = try ServeOptions(flags: flags, environment: ProcessInfo.processInfo.environment, logger: logger)
            vlserver = try VLServer.load(options, logger: logger)
        } catch {
            logger.error("startup failed: \(error)")
            throw ExitCode.failure
        }
        let lifecycle = ServeLifecycle(server: vlserver, host: flags.host, drainTimeout: flags.drainDuration,
                                       readinessGrace: flags.readinessGraceDuration, logger: logger)
        do {
            try lifecycle.start()
        } catch {
            throw ExitCode.failure
        }
        _ = lifecycle.waitForStopThenShutdown(stopSignals)
    }
}
