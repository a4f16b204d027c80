import OpenAIAPI

/// The shards of one run (`--shard i/N`, each saved with `--save-result --save-detailed`) merged into one run, for
/// `vlbench merge`.
///
/// Every per-request sample of every shard is put back at its dataset index, and every statistic is computed
/// from those samples by `BenchmarkMetrics`, as for one unsharded run (percentiles are never averaged). Request
/// start times are placed on the shared wall clock: shard start (`vlbench_run_start_unix`) + the request's
/// offset from it. The duration runs from the earliest shard start to the last shard's last completion.
/// `max_concurrency` is the sum over the shards (each process enforces its own `--max-concurrency`).
public struct MergedRun: Sendable {
    /// The run's options as the shard files record them (`shard` nil, `maxConcurrency` summed).
    public var options: BenchmarkOptions
    public var modelID: String
    public var tokenizerID: String
    /// The latest shard's `date`.
    public var date: String
    /// Every request in dataset order; `startTime` is seconds after the earliest shard start.
    public var outputs: [RequestOutput]
    public var duration: Double
    public var metrics: BenchmarkMetrics
    /// The earliest-starting shard's `rps_change_events` (every shard derives them from the same schedule).
    public var rpsChangeEvents: [(Int, String)]
    /// As for an unsharded run: shard 1/1, starting at the earliest shard start.
    public var detail: RunDetail
    /// Latest shard start − earliest (s); about 0 when the shards shared a `--start-at` and synchronised clocks.
    public var startSpread: Double
    public var shardCount: Int

    /// The result keys that must agree across the shards of one run, and the flag each comes from.
    static let sameRunKeys: [(key: String, what: String)] = [
        ("backend", "--backend"), ("model_id", "model"), ("num_prompts", "--num-prompts"),
        ("request_rate", "--request-rate"), ("burstiness", "--burstiness"), ("max_concurrency", "--max-concurrency"),
        ("ramp_up_strategy", "--ramp-up-strategy"), ("ramp_up_start_rps", "--ramp-up-start-rps"),
        ("ramp_up_end_rps", "--ramp-up-end-rps"), ("vlbench_seed", "--seed"), ("vlbench_dataset_name", "--dataset-name"),
        ("vlbench_dataset_fingerprint", "dataset (a dataset flag or the tokenizer differs)"), ("vlbench_compat", "--compat"),
        ("vlbench_goodput", "--goodput"),
    ]

    /// Merges `shards` (any order); refuses files of different runs, a shard given twice and a missing shard.
    /// `percentileMetrics` / `metricPercentiles` default to those of the shard files (their `mean_*_ms` and
    /// `p*_ms` keys).
    public init(shards input: [ShardResult], percentileMetrics: [PercentileMetric]? = nil,
                metricPercentiles: [Double]? = nil) throws(BenchmarkError) {
        guard let first = input.first else { throw BenchmarkError("no result files to merge") }
        for s in input.dropFirst() {
            for (key, what) in Self.sameRunKeys where s.json[key] != first.json[key] {
                throw BenchmarkError("cannot merge \(first.path) and \(s.path): different \(what) (\(Self.show(first.json[key])) vs "
                    + "\(Self.show(s.json[key]))); merge the shards of one run")
            }
            if s.detail.shard.count != first.detail.shard.count {
                throw BenchmarkError("cannot merge \(first.path) and \(s.path): shard \(first.detail.shard) and shard \(s.detail.shard) "
                    + "come from runs split \(first.detail.shard.count) and \(s.detail.shard.count) ways")
            }
        }
        let count = first.detail.shard.count
        var byIndex = [ShardResult?](repeating: nil, count: count)
        for s in input {
            if let other = byIndex[s.detail.shard.index] {
                throw BenchmarkError("\(other.path) and \(s.path) are both shard \(s.detail.shard); give each shard's file once")
            }
            byIndex[s.detail.shard.index] = s
        }
        if let missing = byIndex.firstIndex(where: { $0 == nil }) {
            throw BenchmarkError("shard \(Shard(index: missing, count: count)) is missing: give all \(count) shard files of the run")
        }
        let shards = byIndex.compactMap { $0 }
        let total = shards.reduce(0) { $0 + $1.outputs.count }
        for s in shards where s.detail.requestIndices != s.detail.shard.indices(total: total) {
            throw BenchmarkError("\(s.path): its requests are not shard \(s.detail.shard)'s share of the \(total) requests")
        }

        let t0 = shards.map(\.detail.start.unix).min() ?? 0
        let earliest = shards.min { $0.detail.start.unix < $1.detail.start.unix } ?? first
        var merged = [RequestOutput](repeating: RequestOutput(), count: total)
        var end = t0
        for s in shards {
            let shift = s.detail.start.unix - t0
            for (k, i) in s.detail.requestIndices.enumerated() {
                var out = s.outputs[k]
                out.startTime += shift
                merged[i] = out
            }
            end = max(end, s.detail.start.unix + s.duration)
        }

        let j = shards[0].json
        var o = try Self.options(j, path: shards[0].path, detail: shards[0].detail)
        o.maxConcurrency = o.maxConcurrency.map { $0 * count }
        o.percentileMetrics = percentileMetrics ?? Self.percentileMetrics(in: j)
        o.metricPercentiles = metricPercentiles ?? Self.metricPercentiles(in: j, metric: o.percentileMetrics.first ?? .ttft)

        options = o
        modelID = j["model_id"]?.stringValue ?? ""
        tokenizerID = j["tokenizer_id"]?.stringValue ?? ""
        date = shards.compactMap { $0.json["date"]?.stringValue }.max() ?? ""
        outputs = merged
        duration = end - t0
        // output_lens already hold the counts the shards used, so nothing is recounted.
        metrics = BenchmarkMetrics(outputs: merged, duration: duration, percentiles: o.metricPercentiles, goodput: o.goodput,
                                   compat: o.compat, countTokens: { _ in 0 })
        rpsChangeEvents = (earliest.json["rps_change_events"]?.arrayValue ?? []).compactMap { e in
            guard let rps = e["rps"]?.integralValue, let ts = e["timestamp"]?.stringValue else { return nil }
            return (rps, ts)
        }
        var d = shards[0].detail
        d.shard = .whole
        d.start = RunStart(unix: t0, monotonic: 0)
        d.requestIndices = Array(0..<total)
        detail = d
        startSpread = (shards.map(\.detail.start.unix).max() ?? t0) - t0
        shardCount = count
    }

    /// The failure lines and the "Serving Benchmark Result" table, as a run prints them.
    public func tableLines() -> [String] {
        ResultTable.failureLines(outputs) + ResultTable.lines(metrics: metrics, duration: duration, options: options)
    }

    /// The result object with vLLM's keys, as a run writes it; `detailed` adds the merged per-request arrays
    /// (`start_times` then count from the earliest shard start) and the `vlbench_` keys of a 1/1 run.
    public func result(detailed: Bool) -> JSONValue {
        ResultFile.build(options: options, modelID: modelID, tokenizerID: tokenizerID, date: date, outputs: outputs,
                         metrics: metrics, duration: duration, rpsChangeEvents: rpsChangeEvents, detailed: detailed,
                         runDetail: detail)
    }

    /// The options a result object records: backend, label, `--metadata` (the keys between `num_prompts` and
    /// `request_rate`), load shape, and from `detail` the seed, compat mode and goodput SLOs.
    static func options(_ j: JSONValue, path: String, detail: RunDetail) throws(BenchmarkError) -> BenchmarkOptions {
        var o = BenchmarkOptions()
        guard let backend = j["backend"]?.stringValue.flatMap(Backend.init(rawValue:)) else {
            throw BenchmarkError("\(path): 'backend' is missing or unknown")
        }
        o.backend = backend
        o.label = j["label"]?.stringValue
        o.numPrompts = j["num_prompts"]?.integralValue ?? 0
        let members = j.objectValue ?? []
        if let a = members.firstIndex(where: { $0.key == "num_prompts" }),
           let b = members.firstIndex(where: { $0.key == "request_rate" }), a < b {
            o.metadata = members[(a + 1)..<b].compactMap { m in m.value.stringValue.map { (m.key, $0) } }
        }
        o.requestRate = j["request_rate"]?.doubleValue ?? .infinity
        o.burstiness = j["burstiness"]?.doubleValue ?? 1
        o.maxConcurrency = j["max_concurrency"]?.integralValue
        if let name = j["ramp_up_strategy"]?.stringValue {
            guard let strategy = RampUp.Strategy(rawValue: name), let a = j["ramp_up_start_rps"]?.doubleValue,
                  let b = j["ramp_up_end_rps"]?.doubleValue else {
                throw BenchmarkError("\(path): malformed ramp_up_* keys")
            }
            o.rampUp = RampUp(strategy: strategy, startRPS: a, endRPS: b)
        }
        o.seed = detail.seed
        o.compat = detail.compat
        o.goodput = detail.goodput
        return o
    }

    /// The metrics whose `mean_{m}_ms` key the result has, in upstream order; vLLM's default if none.
    static func percentileMetrics(in j: JSONValue) -> [PercentileMetric] {
        let found = PercentileMetric.allCases.filter { j["mean_\($0.rawValue)_ms"] != nil }
        return found.isEmpty ? [.ttft, .tpot, .itl] : found
    }

    /// The P of every `p{P}_{metric}_ms` key, in file order; vLLM's default `[99]` if none.
    static func metricPercentiles(in j: JSONValue, metric: PercentileMetric) -> [Double] {
        let suffix = "_\(metric.rawValue)_ms"
        let found = (j.objectValue ?? []).compactMap { m -> Double? in
            guard m.key.hasPrefix("p"), m.key.hasSuffix(suffix) else { return nil }
            return Double(m.key.dropFirst().dropLast(suffix.count))
        }
        return found.isEmpty ? [99] : found
    }

    private static func show(_ v: JSONValue?) -> String { v.map(PythonJSON.dumpsString) ?? "absent" }
}
