/// The values of `vllm bench serve`'s command-line flags as given, before validation, with upstream's defaults
/// (vllm-bench-compat.md §2). `BenchmarkOptions(flags:environment:)` validates them; `vlbench` only parses
/// arguments into this type. Fixed choices are already enums here (the argument parser lists and checks them).
public struct BenchmarkFlags: Sendable {
    // Connection / backend.
    public var backend: Backend = .openai
    /// `--base-url`; overrides `host` and `port` when set.
    public var baseURL: String?
    public var host = "127.0.0.1"
    public var port = 8000
    /// `--endpoint`; nil = `/v1/completions`, or `/v1/chat/completions` for openai-chat.
    public var endpoint: String?
    public var model: String?
    public var servedModelName: String?
    public var tokenizer: String?
    /// `--header KEY=VALUE`, repeatable.
    public var headers: [String] = []

    // Dataset.
    public var datasetName: DatasetName = .random
    public var datasetPath: String?
    public var numPrompts = 1000
    /// `--input-len`, alias of `--random-input-len` (wins when set).
    public var inputLen: Int?
    /// `--output-len`, alias of the dataset's output length (wins when set).
    public var outputLen: Int?
    public var randomInputLen = 1024
    public var randomOutputLen = 128
    /// A number in [0, 1), or `{"input": a, "output": b}`.
    public var randomRangeRatio = "0.0"
    public var randomPrefixLen = 0
    public var randomMMBaseItems = 1
    public var randomMMItemsRangeRatio = 0.0
    public var randomMMLimit = "{\"image\": 255, \"video\": 1}"
    public var randomMMBuckets = "{(256, 256, 1): 0.5, (720, 1280, 1): 0.5, (720, 1280, 16): 0.0}"
    /// `--random-mm-reuse-ratio` (vlbench only): share of images repeating an earlier request's image.
    public var randomMMReuseRatio = 0.0
    public var sharegptOutputLen: Int?
    public var customOutputLen = 256
    public var noOversample = false
    public var disableShuffle = false

    // Load shape.
    /// Requests per second, or `inf`.
    public var requestRate = "inf"
    /// Gamma shape of the gaps (1 = Poisson), or `inf`.
    public var burstiness = "1.0"
    public var maxConcurrency: Int?
    public var rampUpStrategy: RampUp.Strategy?
    public var rampUpStartRPS: Int?
    public var rampUpEndRPS: Int?
    /// numpy's legacy seed: 0 ... 2³² − 1.
    public var seed = 0
    public var ignoreEOS = false
    public var numWarmups = 0
    /// Seconds; nil = 0 (skip), or 600 with `compat` v0.11.
    public var readyCheckTimeout: Double?
    /// nil = `bench-<8 random hex digits>-`.
    public var requestIDPrefix: String?
    /// `--shard i/N` (vlbench extension, 1-based i); nil = the whole run.
    public var shard: String?
    /// `--start-at UNIX_SECONDS` (vlbench extension): wall-clock start of the measured run; nil = at once.
    public var startAt: String?

    // Request content.
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    public var repetitionPenalty: Double?
    /// A JSON object merged into every body after the sampling flags (it wins).
    public var extraBody: String?
    public var logprobs: Int?

    // Reporting.
    /// Comma list of `PercentileMetric` raw values.
    public var percentileMetrics = "ttft,tpot,itl"
    /// Comma list of numbers in [0, 100].
    public var metricPercentiles = "99"
    /// `ttft:MS`, `tpot:MS` or `e2el:MS`, repeatable.
    public var goodput: [String] = []
    public var saveResult = false
    public var saveDetailed = false
    public var appendResult = false
    public var resultDir: String?
    public var resultFilename: String?
    public var label: String?
    /// `KEY=VALUE`, repeatable.
    public var metadata: [String] = []
    public var disableTqdm = false
    public var compat: CompatMode = .default

    public init() {}
}
