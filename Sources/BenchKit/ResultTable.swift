import Foundation

/// Renders the "Serving Benchmark Result" block byte-for-byte as `vllm bench serve` prints it
/// (`benchmark()` in `vllm/benchmarks/serve.py`): 50-wide centred headers, rows formatted
/// `"{:<40} {:<10}"` (ints) or `"{:<40} {:<10.2f}"` (floats), closing line of 50 `=`.
public enum ResultTable {
    /// Python `"{s:{c}^{n}}"`: left padding = (n − len) / 2, the extra character on the right.
    public static func centered(_ s: String, width: Int = 50, fill: Character) -> String {
        let pad = max(0, width - s.count)
        let left = pad / 2
        return String(repeating: fill, count: left) + s + String(repeating: fill, count: pad - left)
    }

    static func leftJustify(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// `"{:<40} {:<10}"` with an integer value.
    public static func row(_ label: String, _ value: Int) -> String {
        leftJustify(label, 40) + " " + leftJustify(String(value), 10)
    }

    /// `"{:<40} {:<10.2f}"` with a float value.
    public static func row(_ label: String, _ value: Double) -> String {
        leftJustify(label, 40) + " " + leftJustify(format2(value), 10)
    }

    /// Python `format(v, ".2f")`: correctly rounded, `nan`/`inf` spelled as Python does.
    public static func format2(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(format: "%.2f", v)
    }

    /// `str(int(p)) if int(p) == p else str(p)`.
    public static func percentileWord(_ p: Double) -> String {
        p.rounded(.towardZero) == p && abs(p) < 1e15 ? String(Int(p)) : PythonJSON.repr(p)
    }

    /// The table lines (without trailing newlines).
    /// - Parameters:
    ///   - requestRate: `.infinity` omits the "Request rate configured" row.
    ///   - maxConcurrency: nil omits "Maximum request concurrency".
    ///   - selected: `--percentile-metrics`, printed in the fixed upstream order.
    ///   - compat: `.v0_11` prints "Total Token throughput (tok/s):" (capital T) as v0.11.0 did.
    public static func lines(metrics m: BenchmarkMetrics, duration: Double, requestRate: Double,
                             maxConcurrency: Int?, selected: [PercentileMetric], compat: CompatMode = .default) -> [String] {
        var out: [String] = []
        out.append(centered(" Serving Benchmark Result ", fill: "="))
        out.append(row("Successful requests:", m.completed))
        out.append(row("Failed requests:", m.failed))
        if let c = maxConcurrency { out.append(row("Maximum request concurrency:", c)) }
        if requestRate.isFinite { out.append(row("Request rate configured (RPS):", requestRate)) }
        out.append(row("Benchmark duration (s):", duration))
        out.append(row("Total input tokens:", m.totalInput))
        out.append(row("Total generated tokens:", m.totalOutput))
        out.append(row("Request throughput (req/s):", m.requestThroughput))
        if let g = m.requestGoodput { out.append(row("Request goodput (req/s):", g)) }
        out.append(row("Output token throughput (tok/s):", m.outputThroughput))
        out.append(row("Peak output token throughput (tok/s):", m.maxOutputTokensPerS))
        out.append(row("Peak concurrent requests:", m.maxConcurrentRequests))
        out.append(row(compat == .v0_11 ? "Total Token throughput (tok/s):" : "Total token throughput (tok/s):", m.totalTokenThroughput))
        for metric in PercentileMetric.allCases where selected.contains(metric) {
            guard let s = m.summaries[metric] else { continue }
            out.append(centered(metric.header, fill: "-"))
            out.append(row("Mean \(metric.label) (ms):", s.mean))
            out.append(row("Median \(metric.label) (ms):", s.median))
            for (p, v) in s.percentiles {
                out.append(row("P\(percentileWord(p)) \(metric.label) (ms):", v))
            }
        }
        out.append(String(repeating: "=", count: 50))
        return out
    }

    /// The table of a run with options `o`: its rate row only without ramp-up, its `--max-concurrency`,
    /// `--percentile-metrics` and `--compat`.
    public static func lines(metrics m: BenchmarkMetrics, duration: Double, options o: BenchmarkOptions) -> [String] {
        lines(metrics: m, duration: duration, requestRate: o.rampUp == nil ? o.requestRate : .infinity,
              maxConcurrency: o.maxConcurrency, selected: o.percentileMetrics, compat: o.compat)
    }

    /// The whole block as printed, each line ending in "\n".
    public static func render(metrics: BenchmarkMetrics, duration: Double, requestRate: Double,
                              maxConcurrency: Int?, selected: [PercentileMetric]) -> String {
        lines(metrics: metrics, duration: duration, requestRate: requestRate,
              maxConcurrency: maxConcurrency, selected: selected).map { $0 + "\n" }.joined()
    }

    /// "Failed requests during benchmark run detected (capping to 10):" and "Error k: …" lines,
    /// empty when nothing failed.
    public static func failureLines(_ outputs: [RequestOutput]) -> [String] {
        let errs = outputs.filter { !$0.success }.map(\.error)
        guard !errs.isEmpty else { return [] }
        var out = ["Failed requests during benchmark run detected (capping to 10):"]
        for (k, e) in errs.prefix(10).enumerated() { out.append("Error \(k): \(e)") }
        return out
    }
}
