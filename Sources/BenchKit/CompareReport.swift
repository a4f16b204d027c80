import Foundation

/// One variant's numbers as the comparison report needs them.
public struct ReportColumn: Sendable {
    public var name: String
    public var metrics: BenchmarkMetrics
    public var duration: Double
    public var phases: PhaseTimings?
    public init(name: String, metrics: BenchmarkMetrics, duration: Double, phases: PhaseTimings?) {
        self.name = name; self.metrics = metrics; self.duration = duration; self.phases = phases
    }
}

/// The `vlbench compare` report: a Markdown before/after table with % change against the first
/// variant, the server's per-phase timings (how much of TTFT was image preprocessing and patch
/// embedding), and an SVG bar chart of TTFT, TPOT, ITL and output throughput per variant.
public enum CompareReport {
    /// A row: label, value extractor, and whether lower is better (for the Markdown arrows).
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
        let pct = (v - base) / abs(base) * 100
        let s = String(format: "%.1f%%", pct)
        return pct > 0 && !s.hasPrefix("-") ? "+" + s : (s == "-0.0%" ? "0.0%" : s)
    }

    static func fmt(_ v: Double, integer: Bool) -> String {
        integer ? String(Int(v.rounded())) : String(format: "%.2f", v)
    }

    /// One-line description of the shared workload.
    public static func describe(_ o: BenchmarkOptions) -> String {
        let rate = o.requestRate.isFinite ? PythonJSON.repr(o.requestRate) : "inf"
        return "dataset \(o.dataset.name), \(o.numPrompts) prompts, request rate \(rate) req/s, burstiness \(PythonJSON.repr(o.burstiness)), max concurrency \(o.maxConcurrency.map(String.init) ?? "None"), seed \(o.seed), backend \(o.backend.rawValue)"
    }

    public static func markdown(_ results: [VariantResult], workload: String) -> String {
        markdown(columns(results), workload: workload, percentiles: results.first?.run.metrics.summaries[.ttft]?.percentiles.map(\.0) ?? [99])
    }

    static func columns(_ results: [VariantResult]) -> [ReportColumn] {
        results.map { ReportColumn(name: $0.variant.name, metrics: $0.run.metrics, duration: $0.run.duration, phases: $0.phases) }
    }

    /// The Markdown report for `cols` (first column = baseline).
    public static func markdown(_ cols: [ReportColumn], workload: String, percentiles: [Double]) -> String {
        guard let base = cols.first else { return "# vlbench compare\n\nNo variants.\n" }
        var s = "# vlbench compare\n\nWorkload: \(workload).\n\nChange is relative to the first variant (`\(base.name)`).\n\n"
        var header = "| Metric | \(base.name) |"
        var rule = "|---|---:|"
        for c in cols.dropFirst() { header += " \(c.name) | Δ vs \(base.name) |"; rule += "---:|---:|" }
        s += header + "\n" + rule + "\n"
        for row in rows(percentiles: percentiles) {
            let b = row.value(base)
            var line = "| \(row.label) | \(fmt(b, integer: row.integer)) |"
            for c in cols.dropFirst() {
                let v = row.value(c)
                line += " \(fmt(v, integer: row.integer)) | \(change(v, base: b)) |"
            }
            s += line + "\n"
        }
        // Server phases.
        let withPhases = cols.filter { $0.phases != nil && !($0.phases!.phases.isEmpty) }
        if !withPhases.isEmpty {
            s += "\n## Server-side time per request (from /metrics, mean over the run)\n\n"
            s += "| Phase (ms) |" + cols.map { " \($0.name) |" }.joined() + "\n"
            s += "|---|" + String(repeating: "---:|", count: cols.count) + "\n"
            for (metric, label) in PhaseTimings.vlservePhases {
                guard cols.contains(where: { $0.phases?.mean(metric) != nil }) else { continue }
                s += "| \(label) |" + cols.map { c in c.phases?.mean(metric).map { String(format: " %.2f |", $0 * 1000) } ?? " n/a |" }.joined() + "\n"
            }
            s += "\n### Share of mean TTFT\n\n"
            s += "| Part of TTFT |" + cols.map { " \($0.name) |" }.joined() + "\n"
            s += "|---|" + String(repeating: "---:|", count: cols.count) + "\n"
            for (metric, label) in [("vllm:request_queue_time_seconds", "queue"),
                                    ("vlserve:request_image_preprocess_seconds", "image preprocessing"),
                                    ("vlserve:request_vision_encoder_seconds", "patch embedding"),
                                    ("vllm:request_prefill_time_seconds", "prefill")] {
                guard cols.contains(where: { $0.phases?.mean(metric) != nil }) else { continue }
                s += "| \(label) |" + cols.map { c -> String in
                    guard let p = c.phases?.mean(metric), let t = c.metrics.summaries[.ttft]?.mean, t > 0 else { return " n/a |" }
                    return String(format: " %.1f%% (%.2f of %.2f ms) |", p * 1000 / t * 100, p * 1000, t)
                }.joined() + "\n"
            }
        } else {
            s += "\nThe server exposed no per-phase histograms on /metrics, so TTFT is not broken down.\n"
        }
        s += "\nChart: [chart.svg](chart.svg). Per-variant results: " + cols.map { "`\($0.name).json`" }.joined(separator: ", ") + ".\n"
        return s
    }

    public static func svg(_ results: [VariantResult]) -> String { svg(columns(results)) }

    /// Four bar panels (mean TTFT, mean TPOT, mean ITL in ms; output throughput in tok/s), one bar per variant.
    public static func svg(_ cols: [ReportColumn]) -> String {
        let panels: [(String, (ReportColumn) -> Double)] = [
            ("Mean TTFT (ms)", { $0.metrics.summaries[.ttft]?.mean ?? 0 }),
            ("Mean TPOT (ms)", { $0.metrics.summaries[.tpot]?.mean ?? 0 }),
            ("Mean ITL (ms)", { $0.metrics.summaries[.itl]?.mean ?? 0 }),
            ("Output throughput (tok/s)", { $0.metrics.outputThroughput }),
        ]
        let colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]
        let pw = 280, ph = 220, gap = 20
        let width = panels.count * pw + (panels.count + 1) * gap
        let height = ph + 90
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (pi, panel) in panels.enumerated() {
            let x0 = gap + pi * (pw + gap)
            let top = 30, plotH = ph - 40
            let values = cols.map(panel.1)
            let maxV = max(values.max() ?? 0, 1e-9)
            s += "<text x=\"\(x0 + pw / 2)\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(panel.0))</text>\n"
            s += "<line x1=\"\(x0)\" y1=\"\(top + plotH)\" x2=\"\(x0 + pw)\" y2=\"\(top + plotH)\" stroke=\"#333\"/>\n"
            let n = max(cols.count, 1)
            let slot = pw / n
            let bw = max(8, slot * 6 / 10)
            for (i, v) in values.enumerated() {
                let h = Int((v / maxV) * Double(plotH - 20))
                let x = x0 + i * slot + (slot - bw) / 2
                let y = top + plotH - h
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(bw)\" height=\"\(h)\" fill=\"\(colors[i % colors.count])\"><title>\(escape(cols[i].name)): \(String(format: "%.2f", v))</title></rect>\n"
                s += "<text x=\"\(x + bw / 2)\" y=\"\(y - 4)\" text-anchor=\"middle\">\(String(format: v >= 100 ? "%.0f" : "%.2f", v))</text>\n"
                s += "<text x=\"\(x + bw / 2)\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(escape(cols[i].name))</text>\n"
            }
        }
        s += "<text x=\"\(gap)\" y=\"\(height - 12)\" fill=\"#555\">vlbench compare: first variant is the baseline; lower is better except throughput.</text>\n"
        s += "</svg>\n"
        return s
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
