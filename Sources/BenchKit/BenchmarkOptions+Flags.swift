import Foundation
import OpenAIAPI

extension BenchmarkOptions {
    /// Validates `flags` as `vllm bench serve` does and converts them; `environment["OPENAI_API_KEY"]`, when set
    /// and not empty, becomes `apiKey`. Each rejection is a `FlagError` whose message names the flag.
    public init(flags f: BenchmarkFlags, environment: [String: String] = [:]) throws(FlagError) {
        self.init()
        do throws(DatasetError) {
            try setConnection(f, environment: environment)
            try setDataset(f)
            try setLoadShape(f)
            try setRequestContent(f)
        } catch {
            throw FlagError(error.description)
        }
        try setReporting(f)
        try setDistribution(f)
    }

    /// `--shard` and `--start-at` (vlbench extensions for runs split across processes or machines).
    private mutating func setDistribution(_ f: BenchmarkFlags) throws(FlagError) {
        if let s = f.shard {
            let shard = try Shard(flag: s)
            guard shard.count <= numPrompts else {
                throw FlagError("--shard \(s): \(shard.count) shards need at least \(shard.count) requests (--num-prompts \(numPrompts))")
            }
            self.shard = shard
        }
        if let s = f.startAt {
            guard let t = Double(s), t.isFinite, t > 0 else {
                throw FlagError("--start-at expects UNIX seconds on the wall clock, e.g. --start-at $(date -d '+30 sec' +%s) (got '\(s)')")
            }
            startAt = t
        }
    }

    private mutating func setConnection(_ f: BenchmarkFlags, environment: [String: String]) throws(DatasetError) {
        backend = f.backend
        endpoint = try f.baseURL.map { u throws(DatasetError) in try ServerEndpoint.parse(baseURL: u) }
            ?? ServerEndpoint(host: f.host, port: f.port)
        endpointPath = f.endpoint ?? (f.backend.isChat ? "/v1/chat/completions" : "/v1/completions")
        guard endpointPath.hasSuffix("completions") else {
            throw DatasetError("--endpoint must end in completions or chat/completions (got '\(endpointPath)')")
        }
        if f.backend.isChat && !endpointPath.hasSuffix("chat/completions") {
            throw DatasetError("--backend openai-chat needs --endpoint /v1/chat/completions")
        }
        model = f.model
        servedModelName = f.servedModelName
        tokenizerID = f.tokenizer
        headers = try f.headers.map { h throws(DatasetError) in
            guard let (key, value) = Self.keyValue(h, "="), !key.isEmpty else {
                throw DatasetError("--header expects KEY=VALUE, got '\(h)'")
            }
            return (key, value)
        }
        if let key = environment["OPENAI_API_KEY"], !key.isEmpty { apiKey = key }
    }

    private mutating func setDataset(_ f: BenchmarkFlags) throws(DatasetError) {
        var text = RandomDataset()
        text.inputLen = f.inputLen ?? f.randomInputLen
        text.outputLen = f.outputLen ?? f.randomOutputLen
        text.rangeRatio = try RangeRatio.parse(f.randomRangeRatio)
        text.prefixLen = f.randomPrefixLen
        switch f.datasetName {
        case .random:
            guard f.datasetPath == nil else { throw DatasetError("--dataset-path cannot be used with --dataset-name random") }
            dataset = .random(text)
        case .randomMM:
            guard f.datasetPath == nil else { throw DatasetError("--dataset-path cannot be used with --dataset-name random-mm") }
            var mm = RandomMMDataset()
            mm.text = text
            mm.baseItemsPerRequest = f.randomMMBaseItems
            mm.numItemsRangeRatio = f.randomMMItemsRangeRatio
            mm.limits = try RandomMMDataset.parseLimits(f.randomMMLimit)
            mm.buckets = try RandomMMDataset.parseBuckets(f.randomMMBuckets)
            guard (0...1).contains(f.randomMMReuseRatio) else {
                throw DatasetError("--random-mm-reuse-ratio must be in [0, 1], got \(f.randomMMReuseRatio)")
            }
            mm.reuseRatio = f.randomMMReuseRatio
            dataset = .randomMM(mm)
        case .sharegpt:
            guard let path = f.datasetPath else { throw DatasetError("--dataset-name sharegpt needs --dataset-path FILE.json") }
            dataset = .shareGPT(path: path, outputLen: f.sharegptOutputLen ?? f.outputLen, shuffle: !f.disableShuffle,
                                oversample: !f.noOversample)
        case .custom:
            guard let path = f.datasetPath else { throw DatasetError("--dataset-name custom needs --dataset-path FILE.jsonl") }
            dataset = .custom(path: path, outputLen: f.outputLen ?? f.customOutputLen, shuffle: !f.disableShuffle)
        }
        guard f.numPrompts > 0 else { throw DatasetError("--num-prompts must be > 0") }
        numPrompts = f.numPrompts
    }

    private mutating func setLoadShape(_ f: BenchmarkFlags) throws(DatasetError) {
        requestRate = try Self.positiveOrInfinity(f.requestRate, "--request-rate")
        burstiness = try Self.positiveOrInfinity(f.burstiness, "--burstiness")
        if let c = f.maxConcurrency {
            guard c > 0 else { throw DatasetError("--max-concurrency must be > 0") }
            maxConcurrency = c
        }
        if let strategy = f.rampUpStrategy {
            guard let start = f.rampUpStartRPS, let end = f.rampUpEndRPS else {
                throw DatasetError("--ramp-up-strategy needs --ramp-up-start-rps and --ramp-up-end-rps")
            }
            guard requestRate.isInfinite else {
                throw DatasetError("--ramp-up-strategy requires --request-rate to be left at inf")
            }
            rampUp = RampUp(strategy: strategy, startRPS: Double(start), endRPS: Double(end))
        }
        // vllm bench serve passes --seed to np.random.seed, which accepts 0 ... 2**32 - 1 only.
        guard (0...Int(UInt32.max)).contains(f.seed) else {
            throw DatasetError("--seed must be between 0 and 4294967295 (numpy's legacy seeding, as in vllm bench serve), "
                + "got \(f.seed)")
        }
        seed = UInt64(f.seed)
        ignoreEOS = f.ignoreEOS ? true : nil
        numWarmups = f.numWarmups
        compat = f.compat
        readyCheckTimeout = f.readyCheckTimeout ?? (f.compat == .v0_11 ? 600 : 0)
        requestIDPrefix = f.requestIDPrefix ?? "bench-\(Self.hex8(UInt32.random(in: 0...UInt32.max)))-"
    }

    /// Sampling flags, then `--extra-body` (wins); v0.11 sends `temperature: 0` when none is given.
    private mutating func setRequestContent(_ f: BenchmarkFlags) throws(DatasetError) {
        var sampling: [(key: String, value: JSONValue)] = []
        if let v = f.temperature {
            sampling.append(("temperature", .double(v)))
        } else if f.compat == .v0_11 {
            sampling.append(("temperature", .double(0)))
        }
        if let v = f.topP { sampling.append(("top_p", .double(v))) }
        if let v = f.topK { sampling.append(("top_k", .int(v))) }
        if let v = f.minP { sampling.append(("min_p", .double(v))) }
        if let v = f.frequencyPenalty { sampling.append(("frequency_penalty", .double(v))) }
        if let v = f.presencePenalty { sampling.append(("presence_penalty", .double(v))) }
        if let v = f.repetitionPenalty { sampling.append(("repetition_penalty", .double(v))) }
        extraBody = try RequestBuilder.mergeExtraBody(sampling: sampling, extraBodyJSON: f.extraBody)
        logprobs = f.logprobs
    }

    private mutating func setReporting(_ f: BenchmarkFlags) throws(FlagError) {
        percentileMetrics = try Self.percentileMetrics(f.percentileMetrics)
        metricPercentiles = try Self.metricPercentiles(f.metricPercentiles)
        for g in f.goodput {
            guard let (key, text) = Self.keyValue(g, ":"), ["ttft", "tpot", "e2el"].contains(key),
                  let value = Double(text), value >= 0 else {
                throw FlagError("--goodput expects ttft:MS, tpot:MS or e2el:MS, got '\(g)'")
            }
            goodput[key] = value
        }
        saveResult = f.saveResult
        saveDetailed = f.saveDetailed
        appendResult = f.appendResult
        resultDir = f.resultDir
        resultFilename = f.resultFilename
        label = f.label
        metadata = try f.metadata.map { m throws(FlagError) in
            guard let pair = Self.keyValue(m, "=") else { throw FlagError("--metadata expects KEY=VALUE, got '\(m)'") }
            return pair
        }
        disableProgress = f.disableTqdm
    }

    /// `--percentile-metrics`: a comma list of `PercentileMetric` raw values.
    public static func percentileMetrics(_ list: String) throws(FlagError) -> [PercentileMetric] {
        try commaList(list).map { s throws(FlagError) in
            guard let metric = PercentileMetric(rawValue: s) else {
                throw FlagError("--percentile-metrics: unknown metric '\(s)' (known: "
                    + PercentileMetric.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return metric
        }
    }

    /// `--metric-percentiles`: a comma list of numbers in [0, 100].
    public static func metricPercentiles(_ list: String) throws(FlagError) -> [Double] {
        try commaList(list).map { s throws(FlagError) in
            guard let p = Double(s), (0...100).contains(p) else {
                throw FlagError("--metric-percentiles: '\(s)' is not a number in [0, 100]")
            }
            return p
        }
    }

    /// `inf`/`infinity` (any case) or a positive number.
    static func positiveOrInfinity(_ s: String, _ flag: String) throws(DatasetError) -> Double {
        if s.lowercased() == "inf" || s.lowercased() == "infinity" { return .infinity }
        guard let v = Double(s), v > 0 else { throw DatasetError("\(flag) must be a positive number or inf, got '\(s)'") }
        return v
    }

    /// Splits at the first `separator`; nil when there is none.
    private static func keyValue(_ s: String, _ separator: Character) -> (String, String)? {
        guard let i = s.firstIndex(of: separator) else { return nil }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    /// The comma-separated items of `s`, trimmed of spaces.
    private static func commaList(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func hex8(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
