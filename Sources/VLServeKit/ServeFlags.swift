import Engine
import Foundation
import NetIO
import VisionCore

/// The values of `vlserve serve`'s flags as given, before validation, with their defaults (shown by `--help`).
/// `validate()` checks them and `ServeOptions(flags:environment:logger:)` turns them into the server's
/// configuration; `vlserve` only parses arguments into this type. Fixed choices are already enums here (the
/// argument parser lists and checks them).
public struct ServeFlags: Sendable {
    // Network.
    /// `--host`: address to bind.
    public var host = "127.0.0.1"
    /// `--port`; 0 picks a free one.
    public var port = 8000
    /// `--event-loops`; nil = online cores.
    public var eventLoops: Int?
    /// `--drain-timeout`, seconds (≥ 0).
    public var drainTimeout: Double = 30
    /// `--readiness-grace`, seconds (≥ 0).
    public var readinessGrace: Double = 0
    /// `--client-eof`: what a read EOF means while a response is pending (vLLM: abort).
    public var peerEOFWhileResponding = PeerEOFPolicy.abort

    // Model.
    /// `--model-dir`.
    public var modelDirectory = "models/qwen2.5-vl-7b"
    /// `--served-model-name`; empty = the model directory's name.
    public var servedModelNames: [String] = []
    /// `--model-root`; nil = `AppConfiguration.defaultModelRoot(modelDirectory:)`.
    public var modelRoot: String?
    /// `--weights`; nil = the model directory's safetensors, else seeded.
    public var weights: String?
    /// `--tokenizer`; nil = the model directory's tokenizer.json, else the stub.
    public var tokenizer: String?
    /// `--conv-impl`.
    public var convImplementation = Conv3dImplementation.auto
    /// `--vision-encoder`.
    public var visionEncoder = VisionEncoderScope.patchEmbed
    /// `--dtype`.
    public var dtype = DTypeChoice.auto
    /// `--gemm-backend`.
    public var gemmBackend = GemmBackendChoice.auto
    /// `--vit-*` operators, used with `--vision-encoder full` (their `gemm` is replaced at load).
    public var towerOperators = VisionTowerOptions()

    // Cost model.
    /// `--decode-step-ms` (≥ 0).
    public var decodeStepMs = CostModel.defaultDecodeStepMs
    /// `--decode-ms-per-seq` (≥ 0).
    public var perSequenceMs = CostModel.defaultPerSequenceMs
    /// `--prefill-ms-per-1k-tokens` (≥ 0).
    public var prefillMsPer1kTokens = CostModel.defaultPrefillMsPer1kTokens
    /// `--memory-trim-interval`, seconds (≥ 0; 0 = off).
    public var memoryTrimInterval = 5.0
    /// `--eos-interval`: mean tokens between EOS draws of the stub decoder.
    public var eosInterval: UInt64 = 128

    // Limits.
    /// `--max-num-seqs` (≥ 1).
    public var maxNumSeqs = 256
    /// `--max-num-batched-tokens` (≥ 1).
    public var maxNumBatchedTokens = 8192
    /// `--max-patches-per-step` (≥ 1).
    public var maxPatchesPerStep = 16384
    /// `--max-waiting-requests`.
    public var maxWaitingRequests = 4096
    /// `--max-model-len` (≥ 1, at most `blockSize × kvCacheBlocks`).
    public var maxModelLen = 32768
    /// `--block-size` (≥ 1).
    public var blockSize = EngineConfiguration.defaultBlockSize
    /// `--num-gpu-blocks-override` (≥ 1).
    public var kvCacheBlocks = EngineConfiguration.defaultKVCacheBlocks
    /// `--limit-mm-per-prompt`: `{"image": N}` or N (`AppConfiguration.imageLimit(parsing:)`).
    public var limitMMPerPrompt = "{\"image\": 999}"
    /// `--max-pixels`; nil = preprocessor_config.json's.
    public var maxPixels: Int?
    /// `--min-pixels`; nil = preprocessor_config.json's.
    public var minPixels: Int?
    /// `--max-image-decode-pixels`.
    public var maxImageDecodePixels = 89_478_485
    /// `--max-media-bytes`.
    public var maxMediaBytes = 20 << 20
    /// `--media-fetch-timeout`, seconds.
    public var mediaFetchTimeout: Double = 5
    /// `--image-threads`; nil = online cores.
    public var imageThreads: Int?
    /// `--mm-processor-cache-gb`, GiB (`AppConfiguration.cacheGiB(parsing:)`).
    public var mmProcessorCacheGB = "\(AppConfiguration.defaultMMProcessorCacheGiB)"

    // Access.
    /// `--api-key`; empty = `$VLSERVE_API_KEY` if set.
    public var apiKeys: [String] = []
    /// `--allowed-local-media-path`: must be an existing directory.
    public var allowedLocalMediaPath: String?
    /// `--allowed-media-domains`.
    public var allowedMediaDomains: [String] = []

    public init() {}

    /// `drainTimeout` as a duration.
    public var drainDuration: Duration { .milliseconds(Int64(drainTimeout * 1000)) }
    /// `readinessGrace` as a duration.
    public var readinessGraceDuration: Duration { .milliseconds(Int64(readinessGrace * 1000)) }

    /// Throws for the first value that cannot be served with; the message names the flag and says what to do.
    public func validate() throws(FlagValueError) {
        _ = try AppConfiguration.imageLimit(parsing: limitMMPerPrompt)
        _ = try AppConfiguration.cacheGiB(parsing: mmProcessorCacheGB)
        if let path = allowedLocalMediaPath {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw FlagValueError("--allowed-local-media-path \(path) is not an existing directory")
            }
        }
        for (name, value) in [("--decode-step-ms", decodeStepMs), ("--decode-ms-per-seq", perSequenceMs),
                              ("--prefill-ms-per-1k-tokens", prefillMsPer1kTokens), ("--drain-timeout", drainTimeout),
                              ("--readiness-grace", readinessGrace),
                              ("--memory-trim-interval", memoryTrimInterval)]
        where value < 0 || !value.isFinite {
            throw FlagValueError("\(name) must be a non-negative number, got \(value)")
        }
        for (name, value) in [("--max-num-seqs", maxNumSeqs), ("--max-model-len", maxModelLen),
                              ("--max-num-batched-tokens", maxNumBatchedTokens), ("--max-patches-per-step", maxPatchesPerStep),
                              ("--block-size", blockSize), ("--num-gpu-blocks-override", kvCacheBlocks)]
        where value < 1 {
            throw FlagValueError("\(name) must be at least 1, got \(value)")
        }
        if visionEncoder == .full && convImplementation != .auto {
            throw FlagValueError("--conv-impl \(convImplementation.rawValue) applies to --vision-encoder patch-embed; the "
                + "whole tower embeds patches with its own exact GEMM (drop --conv-impl, or use --vision-encoder patch-embed)")
        }
        // As vLLM: the whole context of one request must fit the KV cache.
        if maxModelLen > blockSize * kvCacheBlocks {
            throw FlagValueError("--max-model-len \(maxModelLen) is larger than the simulated KV cache holds "
                + "(\(kvCacheBlocks) blocks x \(blockSize) tokens = \(blockSize * kvCacheBlocks)); lower --max-model-len or raise "
                + "--num-gpu-blocks-override")
        }
    }
}
