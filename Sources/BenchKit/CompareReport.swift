import Foundation

/// The `vlbench compare` report: for every metric, each variant's mean over its runs with a 95% Student-t
/// confidence interval, and each other variant's change against the first one with a 95% Welch interval
/// (difference of means ± t(ν)·√(s²₁/n₁ + s²₂/n₂), ν by Welch–Satterthwaite), both shown as % of the
/// baseline mean (the baseline mean is treated as fixed when scaling); `*` marks an interval that excludes
/// zero. Then the TTFT breakdown (`TTFTBreakdown`): mean ms per part and its share of the client's mean
/// TTFT, rows summing to 100%.
public enum CompareReport {
    /// A row: label, value extractor, and whether lower is better.
    struct Row {
        var label: String
        var value: (ReportColumn) -> Double
        var lowerIsBetter: Bool
        var integer = false
    }

    static func summary(_ c: ReportColumn, _ m: PercentileMetric) -> MetricSummary? { c.metrics.summaries[m] }

    static func rows(percentiles: [Double]) -> [Row] {
        var r: [Row] = [
            Row(label: "Successful requests", value: { Double($0.metrics.completed) }, lowerIsBetter: false, integer: true),
            Row(label: "Failed requests", value: { Double($0.metrics.failed) }, lowerIsBetter: true, integer: true),
            Row(label: "Benchmark duration (s)", value: { $0.duration }, lowerIsBetter: true),
            Row(label: "Total input tokens", value: { Double($0.metrics.totalInput) }, lowerIsBetter: false, integer: true),
            Row(label: "Request throughput (req/s)", value: { $0.metrics.requestThroughput }, lowerIsBetter: false),
            Row(label: "Output token throughput (tok/s)", value: { $0.metrics.outputThroughput }, lowerIsBetter: false),
            Row(label: "Peak output token throughput (tok/s)", value: { $0.metrics.maxOutputTokensPerS }, lowerIsBetter: false),
            Row(label: "Peak concurrent requests", value: { $0.metrics.maxConcurrentRequests }, lowerIsBetter: true),
            Row(label: "Total token throughput (tok/s)", value: { $0.metrics.totalTokenThroughput }, lowerIsBetter: false),
        ]
        for m in [PercentileMetric.ttft, .tpot, .itl, .e2el] {
            r.append(Row(label: "Mean \(m.label) (ms)", value: { summary($0, m)?.mean ?? 0 }, lowerIsBetter: true))
            r.append(Row(label: "Median \(m.label) (ms)", value: { summary($0, m)?.median ?? 0 }, lowerIsBetter: true))
            for (k, p) in percentiles.enumerated() where p != 50 {
                r.append(Row(label: "P\(ResultTable.percentileWord(p)) \(m.label) (ms)",
                             value: { summary($0, m).map { $0.percentiles.count > k ? $0.percentiles[k].1 : 0 } ?? 0 },
                             lowerIsBetter: true))
            }
        }
        return r
    }

    /// "+12.3%" / "-4.0%" / "0.0%" change of `v` against `base`; "n/a" when base is 0.
    public static func change(_ v: Double, base: Double) -> String {
        guard base != 0, base.isFinite, v.isFinite else { return "n/a" }
        return signedPercent((v - base) / abs(base) * 100)
    }

    static func signedPercent(_ pct: Double) -> String {
        let s = String(format: "%.1f%%", pct)
        return pct > 0 && !s.hasPrefix("-") ? "+" + s : (s == "-0.0%" ? "0.0%" : s)
    }

    /// "−12.3% [−20.1, −4.5] *": the change of `variant` against `baseline` (means over runs) with its 95%
    /// Welch interval in % of the baseline mean; `*` when the interval excludes 0. Without an interval
    /// (fewer than 2 runs) only the change.
    public static func changeWithInterval(_ variant: [Double], baseline: [Double]) -> String {
        let base = Statistics.mean(baseline)
        let (d, h) = RunStatistics.welch(variant, baseline: baseline)
        guard base != 0, base.isFinite, d.isFinite else { return "n/a" }
        let pct = d / abs(base) * 100
        guard let h else { return signedPercent(pct) }
        let lo = (d - h) / abs(base) * 100, hi = (d + h) / abs(base) * 100
        let excludesZero = d - h > 0 || d + h < 0
        return signedPercent(pct) + String(format: " [%+.1f, %+.1f]", lo, hi) + (excludesZero ? " *" : "")
    }

    /// "123.45 ± 6.78" (mean ± 95% half-width), or the mean alone for one run.
    static func meanWithInterval(_ values: [Double], integer: Bool) -> String {
        let (m, h) = RunStatistics.meanInterval(values)
        if integer && (h ?? 0) == 0 && m == m.rounded() { return String(format: "%.0f", m) }
        guard let h else { return String(format: "%.2f", m) }
        return String(format: "%.2f ± %.2f", m, h)
    }

    /// One-line description of the shared workload.
    public static func describe(_ o: BenchmarkOptions) -> String {
        let rate = o.requestRate.isFinite ? PythonJSON.repr(o.requestRate) : "inf"
        return "dataset \(o.dataset.name), \(o.numPrompts) prompts, request rate \(rate) req/s, burstiness \(PythonJSON.repr(o.burstiness)), max concurrency \(o.maxConcurrency.map(String.init) ?? "None"), seed \(o.seed), backend \(o.backend.rawValue)"
    }

    /// The Markdown report (first variant = baseline).
    public static func markdown(_ variants: [VariantRuns], workload: String, percentiles: [Double]) -> String {
        guard let base = variants.first, !base.runs.isEmpty else { return "# vlbench compare\n\nNo variants.\n" }
        let runs = variants.map(\.runs.count)
        var s = "# vlbench compare\n\nWorkload: \(workload).\n\n"
        s += "Runs per variant: " + zip(variants, runs).map { "`\($0.name)` \($1)" }.joined(separator: ", ")
        s += " (interleaved order, a fresh server per run, the same seeded workload).\n\n"
        s += "Each cell is the mean over runs ± the half-width of its 95% confidence interval (Student t, n − 1 "
        s += "degrees of freedom). Δ is the change of the mean against the first variant (`\(base.name)`) with "
        s += "its 95% Welch interval (unequal variances, Welch–Satterthwaite degrees of freedom), in % of the "
        s += "baseline mean; `*` marks an interval that excludes zero. One run gives no interval.\n\n"
        var header = "| Metric | \(base.name) |"
        var rule = "|---|---:|"
        for v in variants.dropFirst() { header += " \(v.name) | Δ vs \(base.name) |"; rule += "---:|---:|" }
        s += header + "\n" + rule + "\n"
        for row in rows(percentiles: percentiles) {
            let b = base.runs.map(row.value)
            var line = "| \(row.label) | \(meanWithInterval(b, integer: row.integer)) |"
            for v in variants.dropFirst() {
                let x = v.runs.map(row.value)
                line += " \(meanWithInterval(x, integer: row.integer)) | \(changeWithInterval(x, baseline: b)) |"
            }
            s += line + "\n"
        }
        s += breakdownSection(variants)
        s += "\nCharts: [chart.svg](chart.svg) (means with 95% intervals), [ttft-cdf.svg](ttft-cdf.svg) (per-request "
        s += "TTFT distribution over all runs). Per-run results: `<variant>-run<k>.json`.\n"
        return s
    }

    /// The "Where TTFT goes" table, or a sentence saying the server exported no breakdown.
    static func breakdownSection(_ variants: [VariantRuns]) -> String {
        let breakdowns = variants.map { $0.runs.compactMap(\.breakdown) }
        guard breakdowns.contains(where: { !$0.isEmpty }) else {
            return "\nThe server exported no TTFT breakdown histograms on /metrics, so TTFT is not broken down.\n"
        }
        var s = "\n## Where TTFT goes (mean ms per request ± 95% interval, and share of the client's mean TTFT)\n\n"
        s += "Server phases from vlserve's histograms (Δ`_sum` over the run / Δ`_count` of "
        s += "`vllm:time_to_first_token_seconds`, scraped from /metrics before and after each run); they are disjoint "
        s += "and cover arrival (request fully received) to first token. The last row is the client's mean TTFT "
        s += "minus the server's (network, kernel, receiving the body, the client). vLLM's metrics keep vLLM's "
        s += "meaning: `vllm:request_prefill_time_seconds` (admission to first token, so it includes the encoder) is "
        s += "encoder + prefill after the encoder + first decode step; `vllm:request_queue_time_seconds` is the "
        s += "scheduler's waiting queue only, while the engine-queue row also holds the wait for the engine thread "
        s += "to finish its current step.\n\n"
        s += "| Part of TTFT |" + variants.map { " \($0.name) |" }.joined() + "\n"
        s += "|---|" + String(repeating: "---:|", count: variants.count) + "\n"
        let labels = TTFTBreakdown.rowLabels
        for (i, label) in labels.enumerated() {
            s += "| \(label) |"
            for b in breakdowns {
                guard !b.isEmpty else { s += " n/a |"; continue }
                let (m, h) = RunStatistics.meanInterval(b.map { $0.rowsMs[i] })
                let total = Statistics.mean(b.map(\.clientTTFTms))
                let share = total > 0 ? m / total * 100 : 0
                s += (h.map { String(format: " %.2f ± %.2f (%.1f%%) |", m, $0, share) } ?? String(format: " %.2f (%.1f%%) |", m, share))
            }
            s += "\n"
        }
        s += "| **total = client mean TTFT** |"
        for b in breakdowns {
            guard !b.isEmpty else { s += " n/a |"; continue }
            let total = Statistics.mean(b.map(\.clientTTFTms))
            let rowsSum = (0..<labels.count).map { i in Statistics.mean(b.map { $0.rowsMs[i] }) }.reduce(0, +)
            s += String(format: " %.2f (%.1f%%) |", total, total > 0 ? rowsSum / total * 100 : 0)
        }
        s += "\n| server mean TTFT (check: = sum of the server rows) |"
        for b in breakdowns {
            guard !b.isEmpty else { s += " n/a |"; continue }
            s += String(format: " %.2f (rows: %.2f) |", Statistics.mean(b.map(\.serverTTFTms)), Statistics.mean(b.map(\.serverPhasesMs)))
        }
        return s + "\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
