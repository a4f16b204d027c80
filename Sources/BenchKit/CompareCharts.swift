import Foundation

/// The SVG charts of `vlbench compare`: bar panels of means with 95% error bars, and each variant's
/// per-request TTFT distribution (empirical CDF over all its runs).
public enum CompareCharts {
    static let colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]

    /// Four bar panels (mean TTFT, mean TPOT, mean ITL in ms; output throughput in tok/s), one bar per
    /// variant at the mean over its runs, with an error bar spanning the 95% Student-t interval.
    public static func bars(_ variants: [VariantRuns]) -> String {
        let panels: [(String, (ReportColumn) -> Double)] = [
            ("Mean TTFT (ms)", { $0.metrics.summaries[.ttft]?.mean ?? 0 }),
            ("Mean TPOT (ms)", { $0.metrics.summaries[.tpot]?.mean ?? 0 }),
            ("Mean ITL (ms)", { $0.metrics.summaries[.itl]?.mean ?? 0 }),
            ("Output throughput (tok/s)", { $0.metrics.outputThroughput }),
        ]
        let pw = 280, ph = 220, gap = 20
        let width = panels.count * pw + (panels.count + 1) * gap
        let height = ph + 90
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (pi, panel) in panels.enumerated() {
            let x0 = gap + pi * (pw + gap)
            let top = 30, plotH = ph - 40
            let stats = variants.map { RunStatistics.meanInterval($0.runs.map(panel.1)) }
            let maxV = max(stats.map { $0.mean + ($0.halfWidth ?? 0) }.max() ?? 0, 1e-9)
            s += "<text x=\"\(x0 + pw / 2)\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">\(CompareReport.escape(panel.0))</text>\n"
            s += "<line x1=\"\(x0)\" y1=\"\(top + plotH)\" x2=\"\(x0 + pw)\" y2=\"\(top + plotH)\" stroke=\"#333\"/>\n"
            let slot = pw / max(variants.count, 1)
            let bw = max(8, slot * 6 / 10)
            func y(_ v: Double) -> Int { top + plotH - Int((max(v, 0) / maxV) * Double(plotH - 20)) }
            for (i, st) in stats.enumerated() {
                let x = x0 + i * slot + (slot - bw) / 2
                let yTop = y(st.mean)
                let name = CompareReport.escape(variants[i].name)
                let tip = st.halfWidth.map { String(format: "%.2f ± %.2f", st.mean, $0) } ?? String(format: "%.2f", st.mean)
                s += "<rect x=\"\(x)\" y=\"\(yTop)\" width=\"\(bw)\" height=\"\(top + plotH - yTop)\" fill=\"\(colors[i % colors.count])\"><title>\(name): \(tip)</title></rect>\n"
                var labelY = yTop - 4
                if let h = st.halfWidth, h > 0 {
                    let cx = x + bw / 2, y1 = y(st.mean - h), y2 = y(st.mean + h)
                    s += "<path class=\"errorbar\" d=\"M\(cx) \(y1)V\(y2)M\(cx - 6) \(y1)H\(cx + 6)M\(cx - 6) \(y2)H\(cx + 6)\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>\n"
                    labelY = y2 - 4
                }
                s += "<text x=\"\(x + bw / 2)\" y=\"\(labelY)\" text-anchor=\"middle\">\(String(format: st.mean >= 100 ? "%.0f" : "%.2f", st.mean))</text>\n"
                s += "<text x=\"\(x + bw / 2)\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(name)</text>\n"
            }
        }
        s += "<text x=\"\(gap)\" y=\"\(height - 12)\" fill=\"#555\">vlbench compare: mean over runs, error bars = 95% confidence interval (Student t); first variant is the baseline.</text>\n"
        return s + "</svg>\n"
    }

    /// The smallest of 1, 2, 4, 5 or 8 × 10^k that is ≥ `v` (so the axis' quarters are round numbers).
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        let p = pow(10, (log10(v)).rounded(.down))
        for m in [1.0, 2, 4, 5, 8, 10] where m * p >= v * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    /// Each variant's empirical CDF of per-request TTFT (ms) over all its runs, as a step line; at most
    /// `maxPoints` points per variant (evenly spaced ranks, the last one kept).
    public static func ttftCDF(_ variants: [VariantRuns], maxPoints: Int = 400) -> String {
        let w = 720, h = 420, left = 60, right = 20, top = 30, bottom = 50
        let plotW = w - left - right, plotH = h - top - bottom
        let samples = variants.map { $0.runs.flatMap(\.ttfts).map { $0 * 1000 }.sorted() }
        let xMax = niceCeiling(samples.compactMap(\.last).max() ?? 0)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(w / 2)\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">TTFT distribution per variant (all requests of all runs)</text>\n"
        s += "<path d=\"M\(left) \(top)V\(top + plotH)H\(left + plotW)\" stroke=\"#333\" fill=\"none\"/>\n"
        for k in 0...4 {
            let fy = Double(k) / 4
            let py = top + plotH - Int(fy * Double(plotH))
            s += "<text x=\"\(left - 6)\" y=\"\(py + 4)\" text-anchor=\"end\">\(String(format: "%.2f", fy))</text>\n"
            let xv = xMax * Double(k) / 4
            let px = left + Int(Double(k) / 4 * Double(plotW))
            s += "<text x=\"\(px)\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(String(format: xv >= 10 || xv == 0 ? "%.0f" : "%.2g", xv))</text>\n"
        }
        s += "<text x=\"\(left + plotW / 2)\" y=\"\(h - 12)\" text-anchor=\"middle\">TTFT (ms)</text>\n"
        s += "<text x=\"14\" y=\"\(top + plotH / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(top + plotH / 2))\">fraction of requests ≤ x</text>\n"
        for (i, xs) in samples.enumerated() where !xs.isEmpty {
            let n = xs.count
            let step = max(1, n / maxPoints)
            var idx = Array(stride(from: 0, to: n, by: step))
            if idx.last != n - 1 { idx.append(n - 1) }
            func px(_ v: Double) -> String { String(format: "%.1f", Double(left) + v / xMax * Double(plotW)) }
            func py(_ f: Double) -> String { String(format: "%.1f", Double(top + plotH) - f * Double(plotH)) }
            var d = "M\(px(xs[0])) \(py(0))"
            for j in idx {
                let f = Double(j + 1) / Double(n)
                d += "H\(px(xs[j]))V\(py(f))"
            }
            let color = colors[i % colors.count]
            s += "<path class=\"cdf\" d=\"\(d)\" stroke=\"\(color)\" stroke-width=\"1.5\" fill=\"none\"><title>\(CompareReport.escape(variants[i].name)) (\(n) requests)</title></path>\n"
            s += "<rect x=\"\(left + 10)\" y=\"\(top + 8 + i * 18)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            s += "<text x=\"\(left + 28)\" y=\"\(top + 18 + i * 18)\">\(CompareReport.escape(variants[i].name)) (\(n) requests)</text>\n"
        }
        return s + "</svg>\n"
    }
}
