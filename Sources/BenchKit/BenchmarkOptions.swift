import OpenAIAPI

/// Everything one `vlbench` run needs, with `vllm bench serve`'s defaults (vllm-bench-compat.md §2).
public struct BenchmarkOptions: Sendable {
    public var backend: Backend = .openai
    public var endpoint: ServerEndpoint = ServerEndpoint(host: "127.0.0.1", port: 8000)
    /// Request path; default `/v1/completions` (set `/v1/chat/completions` for openai-chat).
    public var endpointPath: String = "/v1/completions"
    /// nil = discover from `/v1/models`.
    public var model: String?
    public var servedModelName: String?
    public var tokenizerID: String?
    /// Extra headers (`--header KEY=VALUE`), sent on every request.
    public var headers: [(String, String)] = []
    /// `OPENAI_API_KEY`, sent as `Authorization: Bearer …` when set.
    public var apiKey: String?

    public var dataset: DatasetSpec = .random(RandomDataset())
    public var numPrompts: Int = 1000
    public var requestRate: Double = .infinity
    public var burstiness: Double = 1.0
    public var maxConcurrency: Int?
    public var rampUp: RampUp?
    public var seed: UInt64 = 0
    /// nil = auto (on for random / random-mm).
    public var ignoreEOS: Bool?
    public var numWarmups: Int = 0
    public var readyCheckTimeout: Double = 0
    /// Sampling flags then `--extra-body`, merged (extra-body wins).
    public var extraBody: [(key: String, value: JSONValue)] = []
    public var logprobs: Int?
    public var requestIDPrefix: String = ""
    /// `--shard i/N`: send only this share of the seeded dataset and schedule; nil = everything.
    public var shard: Shard?
    /// `--start-at`: UNIX time (s, wall clock) at which the measured run starts, shared by all shards; nil = at once.
    public var startAt: Double?

    public var percentileMetrics: [PercentileMetric] = [.ttft, .tpot, .itl]
    public var metricPercentiles: [Double] = [99]
    public var goodput: [String: Double] = [:]

    public var saveResult = false
    public var saveDetailed = false
    public var appendResult = false
    public var resultDir: String?
    public var resultFilename: String?
    public var label: String?
    public var metadata: [(String, String)] = []
    public var disableProgress = false
    public var compat: CompatMode = .default
    /// Image encoder for random-mm.
    public var jpegEncoder: JPEGEncodeFunction = imageCodecsJPEGEncoder
    /// Per-request total timeout (s); upstream uses 6 hours.
    public var requestTimeout: Double = 6 * 3600

    public init() {}

    /// Effective ignore_eos: explicit flag, else auto-on for random and random-mm.
    public var effectiveIgnoreEOS: Bool {
        if let v = ignoreEOS, v { return true }
        switch dataset {
        case .random, .randomMM: return true
        default: return ignoreEOS ?? false
        }
    }
}
