/// Which upstream semantics to reproduce (vllm-bench-compat.md §9). The default, `.v0_33`, is the newest
/// released `vllm bench serve` (0.33.0); `.latest` is unreleased vLLM main.
public enum CompatMode: String, Sendable, CaseIterable {
    /// vLLM 0.33.0 (default): peak concurrency per 1-s bucket (`calculate_metrics` in 0.33.0's
    /// `vllm/benchmarks/serve.py`), written to the JSON as an int; everything else as `.latest`.
    case v0_33 = "v0.33"
    /// vLLM main (unreleased): peak concurrency by an exact sweep line (PR #56678), written as a float.
    case latest
    /// v0.11-era: dataset prompt lengths, E2EL ends at the usage chunk, 1-s bucket peak concurrency,
    /// `temperature: 0` injected, 600 s ready check.
    case v0_11 = "v0.11"

    /// The default `--compat`: the newest vLLM release.
    public static let `default` = CompatMode.v0_33

    /// Peak concurrent requests by the sweep line (only unreleased main); else per 1-s bucket.
    public var peakConcurrencyBySweepLine: Bool { self == .latest }
    /// `max_concurrent_requests` is an int in the JSON (vLLM ≤ 0.33.0 wrote `int(np.max(...))`).
    public var peakConcurrencyIsInt: Bool { self != .latest }
    /// Post-v0.11 behaviour (server prompt tokens, `latencies`/`queue_times`/`rtfx` in the JSON, no ready check).
    public var isModern: Bool { self != .v0_11 }
}

/// mean/median/std and the requested percentiles of one metric, in milliseconds.
public struct MetricSummary: Sendable, Equatable {
    public var mean: Double
    public var median: Double
    public var std: Double
    /// (percentile, value ms) in the order given by `--metric-percentiles`.
    public var percentiles: [(Double, Double)]

    public static func == (a: MetricSummary, b: MetricSummary) -> Bool {
        a.mean == b.mean && a.median == b.median && a.std == b.std
            && a.percentiles.count == b.percentiles.count
            && zip(a.percentiles, b.percentiles).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Summary of `values` given in seconds, reported in ms (×1000 after the statistic, as upstream).
    public init(seconds values: [Double], percentiles ps: [Double]) {
        mean = Statistics.mean(values) * 1000
        median = Statistics.median(values) * 1000
        std = Statistics.std(values) * 1000
        let sorted = values.sorted()
        percentiles = ps.map { ($0, Statistics.percentile(sorted: sorted, $0) * 1000) }
    }
}

/// A metric that `--percentile-metrics` can select.
public enum PercentileMetric: String, Sendable, CaseIterable {
    case ttft, tpot, itl, e2el
    case clientQueueTime = "client_queue_time"
    case e2elIncludingClientQueue = "e2el_including_client_queue"

    /// Abbreviation used in row labels ("Mean TTFT (ms):").
    public var label: String {
        switch self {
        case .ttft: return "TTFT"
        case .tpot: return "TPOT"
        case .itl: return "ITL"
        case .e2el: return "E2EL"
        case .clientQueueTime: return "Client Queue Time"
        case .e2elIncludingClientQueue: return "E2EL incl. Client Queue"
        }
    }

    /// Section header text in the printed table.
    public var header: String {
        switch self {
        case .ttft: return "Time to First Token"
        case .tpot: return "Time per Output Token (excl. 1st token)"
        case .itl: return "Inter-token Latency"
        case .e2el: return "End-to-end Latency"
        case .clientQueueTime: return "Client-side Queueing"
        case .e2elIncludingClientQueue: return "Queue-inclusive End-to-end Latency"
        }
    }
}

/// Aggregate benchmark metrics, computed exactly as `calculate_metrics` in `vllm/benchmarks/serve.py`
/// (vllm-bench-compat.md §6). Throughputs are per second of benchmark duration.
public struct BenchmarkMetrics: Sendable, Equatable {
    public var completed: Int
    public var failed: Int
    public var totalInput: Int
    public var totalOutput: Int
    public var requestThroughput: Double
    /// nil unless goodput SLOs were given.
    public var requestGoodput: Double?
    public var outputThroughput: Double
    public var totalTokenThroughput: Double
    /// Peak chunks per 1-s bucket ("Peak output token throughput (tok/s)").
    public var maxOutputTokensPerS: Double
    public var maxConcurrentRequests: Double
    /// Output tokens per request (0 for failures), in request order.
    public var actualOutputLens: [Int]
    /// Summaries keyed by metric (all metrics are computed; the table prints the selected ones).
    public var summaries: [PercentileMetric: MetricSummary]

    /// - Parameters:
    ///   - outputs: one per request, in dataset order.
    ///   - duration: benchmark duration D (s).
    ///   - percentiles: `--metric-percentiles` values.
    ///   - goodput: SLOs in ms keyed `ttft`, `tpot`, `e2el`; empty = goodput not computed.
    ///   - countTokens: counts tokens of generated text when the server sent no usage; nil → 1.
    public init(outputs: [RequestOutput], duration: Double, percentiles: [Double],
                goodput: [String: Double] = [:], compat: CompatMode = .default,
                countTokens: ((String) -> Int)? = nil) {
        var actual: [Int] = []
        var totalIn = 0, done = 0, good = 0
        var ttfts: [Double] = [], tpots: [Double] = [], allTpots: [Double] = []
        var itls: [Double] = [], e2els: [Double] = [], queues: [Double] = [], e2elQ: [Double] = []
        for o in outputs {
            guard o.success else { actual.append(0); continue }
            var outLen = o.outputTokens
            if outLen == 0 { outLen = countTokens?(o.generatedText) ?? 1 }
            actual.append(outLen)
            totalIn += o.promptLen
            var tpot = 0.0
            if outLen > 1 {
                tpot = (o.latency - o.ttft) / Double(outLen - 1)
                tpots.append(tpot)
            }
            allTpots.append(tpot)
            itls.append(contentsOf: o.itl)
            ttfts.append(o.ttft)
            e2els.append(o.latency)
            queues.append(o.queueTime)
            e2elQ.append(o.latency + o.queueTime)
            done += 1
            if !goodput.isEmpty {
                var ok = true
                if let s = goodput["ttft"], s / 1000 < o.ttft { ok = false }
                if let s = goodput["tpot"], s / 1000 < tpot { ok = false }
                if let s = goodput["e2el"], s / 1000 < o.latency { ok = false }
                if ok { good += 1 }
            }
        }
        completed = done
        failed = outputs.count - done
        totalInput = totalIn
        totalOutput = actual.reduce(0, +)
        actualOutputLens = actual
        let d = duration > 0 ? duration : .nan
        requestThroughput = Double(done) / d
        requestGoodput = goodput.isEmpty ? nil : Double(good) / d
        outputThroughput = Double(totalOutput) / d
        totalTokenThroughput = Double(totalIn + totalOutput) / d
        let successes = outputs.filter(\.success)
        maxOutputTokensPerS = Double(Self.peakOutputChunksPerSecond(successes))
        maxConcurrentRequests = Double(compat.peakConcurrencyBySweepLine ? Self.peakConcurrencySweep(successes)
                                                         : Self.peakConcurrencyBuckets(successes))
        summaries = [
            .ttft: MetricSummary(seconds: ttfts, percentiles: percentiles),
            .tpot: MetricSummary(seconds: tpots, percentiles: percentiles),
            .itl: MetricSummary(seconds: itls, percentiles: percentiles),
            .e2el: MetricSummary(seconds: e2els, percentiles: percentiles),
            .clientQueueTime: MetricSummary(seconds: queues, percentiles: percentiles),
            .e2elIncludingClientQueue: MetricSummary(seconds: e2elQ, percentiles: percentiles),
        ]
    }

    /// Max number of token chunks landing in one 1-s bucket measured from the earliest start:
    /// events at start+ttft, then cumulatively +itl[k]; bucket = floor(event − t0).
    public static func peakOutputChunksPerSecond(_ successes: [RequestOutput]) -> Int {
        guard let t0 = successes.map(\.startTime).min() else { return 0 }
        let tEnd = successes.map { $0.startTime + $0.latency }.max() ?? t0
        let buckets = Int((tEnd - t0).rounded(.up)) + 1
        var counts = [Int](repeating: 0, count: max(buckets, 1))
        for o in successes {
            var t = o.startTime + o.ttft
            var events = [t]
            for g in o.itl { t += g; events.append(t) }
            for e in events {
                let b = Int((e - t0).rounded(.down))
                if b >= 0 && b < counts.count { counts[b] += 1 }
            }
        }
        return counts.max() ?? 0
    }

    /// Exact max overlap of [start, start+latency) intervals; ends sort before starts at equal times.
    public static func peakConcurrencySweep(_ successes: [RequestOutput]) -> Int {
        var events: [(Double, Int)] = []
        events.reserveCapacity(successes.count * 2)
        for o in successes {
            events.append((o.startTime, 1))
            events.append((o.startTime + o.latency, -1))
        }
        events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var cur = 0, peak = 0
        for e in events { cur += e.1; peak = max(peak, cur) }
        return peak
    }

    /// vLLM 0.33.0 and v0.11-era (PR #23867): max over 1-s buckets of the successful requests touching the
    /// bucket; t0 = earliest start, B = ceil(max end − t0) + 1 buckets, a request adds 1 to every bucket
    /// from int(start − t0) to int(start + latency − t0) inclusive (so a 0.2-s request crossing a second
    /// boundary counts in two buckets).
    public static func peakConcurrencyBuckets(_ successes: [RequestOutput]) -> Int {
        guard let t0 = successes.map(\.startTime).min() else { return 0 }
        let tEnd = successes.map { $0.startTime + $0.latency }.max() ?? t0
        var counts = [Int](repeating: 0, count: Int((tEnd - t0).rounded(.up)) + 1)
        for o in successes {
            let a = Int((o.startTime - t0).rounded(.down))
            let b = min(Int((o.startTime + o.latency - t0).rounded(.down)), counts.count - 1)
            if a <= b { for k in a...b { counts[k] += 1 } }
        }
        return counts.max() ?? 0
    }
}
