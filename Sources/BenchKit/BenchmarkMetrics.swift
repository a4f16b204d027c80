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
