import ArgumentParser
import BenchKit
import Foundation

/// `vllm bench serve`'s flags (names and defaults from vllm-bench-compat.md §2).
/// Only parses: `BenchmarkOptions(flags:environment:)` in BenchKit validates (and is tested there).
struct ServeArguments: ParsableArguments {
    /// Upstream's defaults, shown by `--help`.
    static let defaults = BenchmarkFlags()

    // Connection / backend.
    @Option(help: "openai or vllm (/v1/completions), openai-chat (/v1/chat/completions).") var backend = Self.defaults.backend
    @Option(name: .customLong("base-url"), help: "Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port).") var baseURL: String?
    @Option(help: "Server host.") var host = Self.defaults.host
    @Option(help: "Server port.") var port = Self.defaults.port
    @Option(help: "API path; default /v1/completions, or /v1/chat/completions for openai-chat.") var endpoint: String?
    @Option(help: "Model name; default: data[0].id of GET /v1/models.") var model: String?
    @Option(name: .customLong("served-model-name"), help: "Name put in the request's model field.") var servedModelName: String?
    @Option(help: "Tokenizer id recorded in the result; a local directory with tokenizer.json (or that file) is also loaded to build and count prompts (default: --model, else the server's model root; otherwise the stub vocabulary). Prompt lengths use the server's /tokenize when it has one.") var tokenizer: String?
    @Option(name: .customLong("tokenizer-mode"), help: "Accepted for compatibility; ignored.") var tokenizerMode: String?
    @Flag(name: .customLong("trust-remote-code"), help: "Accepted for compatibility; ignored.") var trustRemoteCode = false
    @Flag(name: .customLong("skip-tokenizer-init"), help: "Accepted for compatibility; ignored.") var skipTokenizerInit = false
    @Flag(help: "Accepted for compatibility (no TLS in vlbench).") var insecure = false
    @Option(parsing: .upToNextOption, help: "Extra headers KEY=VALUE for every request.") var header: [String] = []

    // Dataset.
    @Option(name: .customLong("dataset-name"), help: "The dataset (custom_mm and custom-mm are accepted for custom).") var datasetName = Self.defaults.datasetName
    @Option(name: .customLong("dataset-path"), help: "ShareGPT JSON or custom JSONL file.") var datasetPath: String?
    @Option(name: .customLong("num-prompts"), help: "Number of requests.") var numPrompts = Self.defaults.numPrompts
    @Option(name: .customLong("input-len"), help: "Alias of --random-input-len.") var inputLen: Int?
    @Option(name: .customLong("output-len"), help: "Alias of the dataset's output length option.") var outputLen: Int?
    @Option(name: .customLong("random-input-len")) var randomInputLen = Self.defaults.randomInputLen
    @Option(name: .customLong("random-output-len")) var randomOutputLen = Self.defaults.randomOutputLen
    @Option(name: .customLong("random-range-ratio"), help: "r in [0,1), or {\"input\": a, \"output\": b}.") var randomRangeRatio = Self.defaults.randomRangeRatio
    @Option(name: .customLong("random-prefix-len")) var randomPrefixLen = Self.defaults.randomPrefixLen
    @Option(name: .customLong("random-batch-size"), help: "Accepted for compatibility (embeddings only).") var randomBatchSize = 1
    @Option(name: .customLong("random-mm-base-items-per-request")) var randomMMBaseItems = Self.defaults.randomMMBaseItems
    @Option(name: .customLong("random-mm-num-mm-items-range-ratio")) var randomMMItemsRangeRatio = Self.defaults.randomMMItemsRangeRatio
    @Option(name: .customLong("random-mm-limit-mm-per-prompt")) var randomMMLimit = Self.defaults.randomMMLimit
    @Option(name: .customLong("random-mm-bucket-config")) var randomMMBuckets = Self.defaults.randomMMBuckets
    @Option(name: .customLong("random-mm-reuse-ratio"), help: "vlbench extension, not a vLLM flag: share (0...1, seeded by --seed) of images that repeat an image sent by an earlier request, picked uniformly among the earlier distinct images, to exercise the server's image cache (--mm-processor-cache-gb). 0 = every image fresh, as vLLM.") var randomMMReuseRatio = Self.defaults.randomMMReuseRatio
    @Option(name: .customLong("sharegpt-output-len")) var sharegptOutputLen: Int?
    @Option(name: .customLong("custom-output-len")) var customOutputLen = Self.defaults.customOutputLen
    @Flag(name: .customLong("no-oversample")) var noOversample = false
    @Flag(name: .customLong("disable-shuffle")) var disableShuffle = false
    @Flag(name: .customLong("no-stream"), help: "Accepted for compatibility (HF dataset loading); ignored.") var noStream = false
    @Flag(name: .customLong("skip-chat-template"), help: "Accepted for compatibility; ignored.") var skipChatTemplate = false

    // Load shape.
    @Option(name: .customLong("request-rate"), help: "Requests per second, or inf.") var requestRate = Self.defaults.requestRate
    @Option(help: "Gamma shape of the inter-arrival gaps (1 = Poisson), or inf.") var burstiness = Self.defaults.burstiness
    @Option(name: .customLong("max-concurrency"), help: "Most requests in flight.") var maxConcurrency: Int?
    @Option(name: .customLong("ramp-up-strategy"), help: "How the rate grows from --ramp-up-start-rps to --ramp-up-end-rps.") var rampUpStrategy: RampUp.Strategy?
    @Option(name: .customLong("ramp-up-start-rps")) var rampUpStartRPS: Int?
    @Option(name: .customLong("ramp-up-end-rps")) var rampUpEndRPS: Int?
    @Option(help: "Seed of the dataset and the arrival times.") var seed = Self.defaults.seed
    @Flag(name: .customLong("ignore-eos"), help: "Send ignore_eos (automatic for random and random-mm).") var ignoreEOS = false
    @Option(name: .customLong("num-warmups")) var numWarmups = Self.defaults.numWarmups
    @Option(name: .customLong("ready-check-timeout-sec"), help: "Probe with the first request until it succeeds (0 = skip).") var readyCheckTimeout: Double?
    @Option(name: .customLong("request-id-prefix"), help: "x-request-id prefix (default bench-<8 hex>-).") var requestIDPrefix: String?
    @Option(help: "vlbench extension: send only share i of N (1-based, e.g. 1/2 and 2/2) of the seeded dataset, at the whole schedule's offsets; requests with index k % N == i-1. Merge the shards' --save-result --save-detailed files with `vlbench merge`.") var shard: String?
    @Option(name: .customLong("start-at"), help: "vlbench extension: start the measured run at this UNIX time (s, wall clock), e.g. $(date -d '+30 sec' +%s), shared by all shards; refused if it has passed when the run is ready.") var startAt: String?

    // Request content.
    @Option var temperature: Double?
    @Option(name: .customLong("top-p")) var topP: Double?
    @Option(name: .customLong("top-k")) var topK: Int?
    @Option(name: .customLong("min-p")) var minP: Double?
    @Option(name: .customLong("frequency-penalty")) var frequencyPenalty: Double?
    @Option(name: .customLong("presence-penalty")) var presencePenalty: Double?
    @Option(name: .customLong("repetition-penalty")) var repetitionPenalty: Double?
    @Option(name: .customLong("extra-body"), help: "JSON object merged into every request body (wins over sampling flags).") var extraBody: String?
    @Option(help: "Completions only: logprobs.") var logprobs: Int?

    // Reporting.
    @Option(name: .customLong("percentile-metrics"), help: "Comma list of ttft,tpot,itl,e2el,client_queue_time,e2el_including_client_queue.") var percentileMetrics = Self.defaults.percentileMetrics
    @Option(name: .customLong("metric-percentiles"), help: "Comma list of percentiles, e.g. 50,90,99.") var metricPercentiles = Self.defaults.metricPercentiles
    @Option(parsing: .upToNextOption, help: "SLOs KEY:VALUE in ms for ttft, tpot, e2el.") var goodput: [String] = []
    @Flag(name: .customLong("save-result")) var saveResult = false
    @Flag(name: .customLong("save-detailed")) var saveDetailed = false
    @Flag(name: .customLong("append-result")) var appendResult = false
    @Option(name: .customLong("result-dir")) var resultDir: String?
    @Option(name: .customLong("result-filename")) var resultFilename: String?
    @Option(help: "Result file prefix (default: the backend).") var label: String?
    @Option(parsing: .upToNextOption, help: "KEY=VALUE pairs copied into the result JSON.") var metadata: [String] = []
    @Flag(name: .customLong("disable-tqdm"), help: "No progress bar.") var disableTqdm = false
    @Option(help: "vllm bench serve version to reproduce: v0.33 (default, the newest release), latest (unreleased main: sweep-line peak concurrency) or v0.11.") var compat = Self.defaults.compat
    @Flag(name: .customLong("report-send-lag"), help: "vlbench extension: print send lag vs schedule and peak streams after the table.") var reportSendLag = false

    /// The flag values as given (no validation here).
    var flags: BenchmarkFlags {
        var f = BenchmarkFlags()
        f.backend = backend
        f.baseURL = baseURL
        f.host = host
        f.port = port
        f.endpoint = endpoint
        f.model = model
        f.servedModelName = servedModelName
        f.tokenizer = tokenizer
        f.headers = header
        f.datasetName = datasetName
        f.datasetPath = datasetPath
        f.numPrompts = numPrompts
        f.inputLen = inputLen
        f.outputLen = outputLen
        f.randomInputLen = randomInputLen
        f.randomOutputLen = randomOutputLen
        f.randomRangeRatio = randomRangeRatio
        f.randomPrefixLen = randomPrefixLen
        f.randomMMBaseItems = randomMMBaseItems
        f.randomMMItemsRangeRatio = randomMMItemsRangeRatio
        f.randomMMLimit = randomMMLimit
        f.randomMMBuckets = randomMMBuckets
        f.randomMMReuseRatio = randomMMReuseRatio
        f.sharegptOutputLen = sharegptOutputLen
        f.customOutputLen = customOutputLen
        f.noOversample = noOversample
        f.disableShuffle = disableShuffle
        f.requestRate = requestRate
        f.burstiness = burstiness
        f.maxConcurrency = maxConcurrency
        f.rampUpStrategy = rampUpStrategy
        f.rampUpStartRPS = rampUpStartRPS
        f.rampUpEndRPS = rampUpEndRPS
        f.seed = seed
        f.ignoreEOS = ignoreEOS
        f.numWarmups = numWarmups
        f.readyCheckTimeout = readyCheckTimeout
        f.requestIDPrefix = requestIDPrefix
        f.shard = shard
        f.startAt = startAt
        f.temperature = temperature
        f.topP = topP
        f.topK = topK
        f.minP = minP
        f.frequencyPenalty = frequencyPenalty
        f.presencePenalty = presencePenalty
        f.repetitionPenalty = repetitionPenalty
        f.extraBody = extraBody
        f.logprobs = logprobs
        f.percentileMetrics = percentileMetrics
        f.metricPercentiles = metricPercentiles
        f.goodput = goodput
        f.saveResult = saveResult
        f.saveDetailed = saveDetailed
        f.appendResult = appendResult
        f.resultDir = resultDir
        f.resultFilename = resultFilename
        f.label = label
        f.metadata = metadata
        f.disableTqdm = disableTqdm
        f.compat = compat
        return f
    }

    /// Rejected values are reported with this command's usage, before anything runs.
    func validate() throws { _ = try options() }

    /// The validated options (`BenchmarkOptions(flags:environment:)`); a rejected value is a usage error.
    func options() throws -> BenchmarkOptions {
        do throws(FlagError) {
            return try BenchmarkOptions(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
