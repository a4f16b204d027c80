import ArgumentParser
import BenchKit
import Foundation
import OpenAIAPI

/// `vllm bench serve`'s flags (names and defaults from vllm-bench-compat.md §2).
struct ServeArguments: ParsableArguments {
    // Connection / backend.
    @Option(help: "openai or vllm (/v1/completions), openai-chat (/v1/chat/completions).") var backend = "openai"
    @Option(name: .customLong("base-url"), help: "Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port).") var baseURL: String?
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8000
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
    @Option(name: .customLong("dataset-name"), help: "random, random-mm, sharegpt or custom.") var datasetName = "random"
    @Option(name: .customLong("dataset-path"), help: "ShareGPT JSON or custom JSONL file.") var datasetPath: String?
    @Option(name: .customLong("num-prompts"), help: "Number of requests.") var numPrompts = 1000
    @Option(name: .customLong("input-len"), help: "Alias of --random-input-len.") var inputLen: Int?
    @Option(name: .customLong("output-len"), help: "Alias of the dataset's output length option.") var outputLen: Int?
    @Option(name: .customLong("random-input-len")) var randomInputLen = 1024
    @Option(name: .customLong("random-output-len")) var randomOutputLen = 128
    @Option(name: .customLong("random-range-ratio"), help: "r in [0,1), or {\"input\": a, \"output\": b}.") var randomRangeRatio = "0.0"
    @Option(name: .customLong("random-prefix-len")) var randomPrefixLen = 0
    @Option(name: .customLong("random-batch-size"), help: "Accepted for compatibility (embeddings only).") var randomBatchSize = 1
    @Option(name: .customLong("random-mm-base-items-per-request")) var randomMMBaseItems = 1
    @Option(name: .customLong("random-mm-num-mm-items-range-ratio")) var randomMMItemsRangeRatio = 0.0
    @Option(name: .customLong("random-mm-limit-mm-per-prompt")) var randomMMLimit = "{\"image\": 255, \"video\": 1}"
    @Option(name: .customLong("random-mm-bucket-config")) var randomMMBuckets = "{(256, 256, 1): 0.5, (720, 1280, 1): 0.5, (720, 1280, 16): 0.0}"
    @Option(name: .customLong("sharegpt-output-len")) var sharegptOutputLen: Int?
    @Option(name: .customLong("custom-output-len")) var customOutputLen = 256
    @Flag(name: .customLong("no-oversample")) var noOversample = false
    @Flag(name: .customLong("disable-shuffle")) var disableShuffle = false
    @Flag(name: .customLong("no-stream"), help: "Accepted for compatibility (HF dataset loading); ignored.") var noStream = false
    @Flag(name: .customLong("skip-chat-template"), help: "Accepted for compatibility; ignored.") var skipChatTemplate = false

    // Load shape.
    @Option(name: .customLong("request-rate"), help: "Requests per second, or inf.") var requestRate = "inf"
    @Option(help: "Gamma shape of the inter-arrival gaps (1 = Poisson), or inf.") var burstiness = "1.0"
    @Option(name: .customLong("max-concurrency"), help: "Most requests in flight.") var maxConcurrency: Int?
    @Option(name: .customLong("ramp-up-strategy"), help: "linear or exponential.") var rampUpStrategy: String?
    @Option(name: .customLong("ramp-up-start-rps")) var rampUpStartRPS: Int?
    @Option(name: .customLong("ramp-up-end-rps")) var rampUpEndRPS: Int?
    @Option(help: "Seed of the dataset and the arrival times.") var seed = 0
    @Flag(name: .customLong("ignore-eos"), help: "Send ignore_eos (automatic for random and random-mm).") var ignoreEOS = false
    @Option(name: .customLong("num-warmups")) var numWarmups = 0
    @Option(name: .customLong("ready-check-timeout-sec"), help: "Probe with the first request until it succeeds (0 = skip).") var readyCheckTimeout: Double?
    @Option(name: .customLong("request-id-prefix"), help: "x-request-id prefix (default bench-<8 hex>-).") var requestIDPrefix: String?

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
    @Option(name: .customLong("percentile-metrics"), help: "Comma list of ttft,tpot,itl,e2el,client_queue_time,e2el_including_client_queue.") var percentileMetrics = "ttft,tpot,itl"
    @Option(name: .customLong("metric-percentiles"), help: "Comma list of percentiles, e.g. 50,90,99.") var metricPercentiles = "99"
    @Option(parsing: .upToNextOption, help: "SLOs KEY:VALUE in ms for ttft, tpot, e2el.") var goodput: [String] = []
    @Flag(name: .customLong("save-result")) var saveResult = false
    @Flag(name: .customLong("save-detailed")) var saveDetailed = false
    @Flag(name: .customLong("append-result")) var appendResult = false
    @Option(name: .customLong("result-dir")) var resultDir: String?
    @Option(name: .customLong("result-filename")) var resultFilename: String?
    @Option(help: "Result file prefix (default: the backend).") var label: String?
    @Option(parsing: .upToNextOption, help: "KEY=VALUE pairs copied into the result JSON.") var metadata: [String] = []
    @Flag(name: .customLong("disable-tqdm"), help: "No progress bar.") var disableTqdm = false
    @Option(help: "Semantics to reproduce: latest (default) or v0.11.") var compat = "latest"
    @Flag(name: .customLong("report-send-lag"), help: "vlbench extension: print send lag vs schedule and peak streams after the table.") var reportSendLag = false

    /// Converts to `BenchmarkOptions`, validating every value.
    func options() throws -> BenchmarkOptions {
        var o = BenchmarkOptions()
        guard let b = Backend(rawValue: backend) else {
            throw ValidationError("--backend must be one of openai, vllm, openai-chat (got '\(backend)')")
        }
        o.backend = b
        if let u = baseURL { o.endpoint = try ServerEndpoint.parse(baseURL: u) } else { o.endpoint = ServerEndpoint(host: host, port: port) }
        o.endpointPath = endpoint ?? (b.isChat ? "/v1/chat/completions" : "/v1/completions")
        guard o.endpointPath.hasSuffix("completions") else {
            throw ValidationError("--endpoint must end in completions or chat/completions (got '\(o.endpointPath)')")
        }
        if b.isChat && !o.endpointPath.hasSuffix("chat/completions") {
            throw ValidationError("--backend openai-chat needs --endpoint /v1/chat/completions")
        }
        o.model = model
        o.servedModelName = servedModelName
        o.tokenizerID = tokenizer
        for h in header {
            guard let eq = h.firstIndex(of: "="), eq != h.startIndex else { throw ValidationError("--header expects KEY=VALUE, got '\(h)'") }
            o.headers.append((String(h[..<eq]), String(h[h.index(after: eq)...])))
        }
        if let k = ProcessInfo.processInfo.environment["OPENAI_API_KEY"], !k.isEmpty { o.apiKey = k }

        // Dataset.
        var rnd = RandomDataset()
        rnd.inputLen = inputLen ?? randomInputLen
        rnd.outputLen = outputLen ?? randomOutputLen
        rnd.rangeRatio = try RangeRatio.parse(randomRangeRatio)
        rnd.prefixLen = randomPrefixLen
        switch datasetName {
        case "random":
            guard datasetPath == nil else { throw ValidationError("--dataset-path cannot be used with --dataset-name random") }
            o.dataset = .random(rnd)
        case "random-mm":
            guard datasetPath == nil else { throw ValidationError("--dataset-path cannot be used with --dataset-name random-mm") }
            var mm = RandomMMDataset()
            mm.text = rnd
            mm.baseItemsPerRequest = randomMMBaseItems
            mm.numItemsRangeRatio = randomMMItemsRangeRatio
            mm.limits = try RandomMMDataset.parseLimits(randomMMLimit)
            mm.buckets = try RandomMMDataset.parseBuckets(randomMMBuckets)
            o.dataset = .randomMM(mm)
        case "sharegpt":
            guard let p = datasetPath else { throw ValidationError("--dataset-name sharegpt needs --dataset-path FILE.json") }
            o.dataset = .shareGPT(path: p, outputLen: sharegptOutputLen ?? outputLen, shuffle: !disableShuffle, oversample: !noOversample)
        case "custom", "custom_mm", "custom-mm":
            guard let p = datasetPath else { throw ValidationError("--dataset-name custom needs --dataset-path FILE.jsonl") }
            o.dataset = .custom(path: p, outputLen: outputLen ?? customOutputLen, shuffle: !disableShuffle)
        default:
            throw ValidationError("--dataset-name must be random, random-mm, sharegpt or custom (got '\(datasetName)')")
        }
        guard numPrompts > 0 else { throw ValidationError("--num-prompts must be > 0") }
        o.numPrompts = numPrompts

        // Load shape.
        o.requestRate = try Self.number(requestRate, "--request-rate")
        o.burstiness = try Self.number(burstiness, "--burstiness")
        if let c = maxConcurrency { guard c > 0 else { throw ValidationError("--max-concurrency must be > 0") }; o.maxConcurrency = c }
        if let s = rampUpStrategy {
            guard let st = RampUp.Strategy(rawValue: s) else { throw ValidationError("--ramp-up-strategy must be linear or exponential") }
            guard let a = rampUpStartRPS, let e = rampUpEndRPS else {
                throw ValidationError("--ramp-up-strategy needs --ramp-up-start-rps and --ramp-up-end-rps")
            }
            guard o.requestRate.isInfinite else { throw ValidationError("--ramp-up-strategy requires --request-rate to be left at inf") }
            o.rampUp = RampUp(strategy: st, startRPS: Double(a), endRPS: Double(e))
        }
        // vllm bench serve passes --seed to np.random.seed, which accepts 0 ... 2**32 - 1 only.
        guard (0...Int(UInt32.max)).contains(seed) else {
            throw ValidationError("--seed must be between 0 and 4294967295 (numpy's legacy seeding, as in vllm bench serve), got \(seed)")
        }
        o.seed = UInt64(seed)
        o.ignoreEOS = ignoreEOS ? true : nil
        o.numWarmups = numWarmups
        guard let cm = CompatMode(rawValue: compat) else { throw ValidationError("--compat must be latest or v0.11") }
        o.compat = cm
        o.readyCheckTimeout = readyCheckTimeout ?? (cm == .v0_11 ? 600 : 0)
        o.requestIDPrefix = requestIDPrefix ?? "bench-\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))-"

        // Sampling flags, then --extra-body (wins).
        var sampling: [(key: String, value: JSONValue)] = []
        if let v = temperature { sampling.append(("temperature", .double(v))) } else if cm == .v0_11 { sampling.append(("temperature", .double(0))) }
        if let v = topP { sampling.append(("top_p", .double(v))) }
        if let v = topK { sampling.append(("top_k", .int(v))) }
        if let v = minP { sampling.append(("min_p", .double(v))) }
        if let v = frequencyPenalty { sampling.append(("frequency_penalty", .double(v))) }
        if let v = presencePenalty { sampling.append(("presence_penalty", .double(v))) }
        if let v = repetitionPenalty { sampling.append(("repetition_penalty", .double(v))) }
        o.extraBody = try RequestBuilder.mergeExtraBody(sampling: sampling, extraBodyJSON: extraBody)
        o.logprobs = logprobs

        // Reporting.
        o.percentileMetrics = try percentileMetrics.split(separator: ",").map {
            let s = $0.trimmingCharacters(in: .whitespaces)
            guard let m = PercentileMetric(rawValue: s) else { throw ValidationError("--percentile-metrics: unknown metric '\(s)'") }
            return m
        }
        o.metricPercentiles = try metricPercentiles.split(separator: ",").map {
            guard let p = Double($0.trimmingCharacters(in: .whitespaces)), (0...100).contains(p) else {
                throw ValidationError("--metric-percentiles: '\($0)' is not a number in [0, 100]")
            }
            return p
        }
        for g in goodput {
            let parts = g.split(separator: ":")
            guard parts.count == 2, ["ttft", "tpot", "e2el"].contains(String(parts[0])), let v = Double(parts[1]), v >= 0 else {
                throw ValidationError("--goodput expects ttft:MS, tpot:MS or e2el:MS, got '\(g)'")
            }
            o.goodput[String(parts[0])] = v
        }
        o.saveResult = saveResult
        o.saveDetailed = saveDetailed
        o.appendResult = appendResult
        o.resultDir = resultDir
        o.resultFilename = resultFilename
        o.label = label
        for m in metadata {
            guard let eq = m.firstIndex(of: "=") else { throw ValidationError("--metadata expects KEY=VALUE, got '\(m)'") }
            o.metadata.append((String(m[..<eq]), String(m[m.index(after: eq)...])))
        }
        o.disableProgress = disableTqdm
        return o
    }

    static func number(_ s: String, _ flag: String) throws -> Double {
        if s.lowercased() == "inf" || s.lowercased() == "infinity" { return .infinity }
        guard let v = Double(s), v > 0 else { throw ValidationError("\(flag) must be a positive number or inf, got '\(s)'") }
        return v
    }
}
