/// Server-side time per phase over a run, from `/metrics` scraped before and after.
public struct PhaseTimings: Sendable, Equatable {
    /// (metric name, mean seconds per observation during the run, observations, Δ`_sum` in seconds).
    public var phases: [(name: String, meanSeconds: Double, count: Double, sumSeconds: Double)]

    public static func == (a: PhaseTimings, b: PhaseTimings) -> Bool {
        a.phases.count == b.phases.count && zip(a.phases, b.phases).allSatisfy {
            $0.name == $1.name && $0.meanSeconds == $1.meanSeconds && $0.count == $1.count && $0.sumSeconds == $1.sumSeconds
        }
    }

    /// Histograms whose count grew between `before` and `after`: mean = Δsum / Δcount.
    public init(before: PrometheusText, after: PrometheusText) {
        var out: [(String, Double, Double, Double)] = []
        for name in after.histogramNames {
            let dc = (after[name + "_count"] ?? 0) - (before[name + "_count"] ?? 0)
            let ds = (after[name + "_sum"] ?? 0) - (before[name + "_sum"] ?? 0)
            if dc > 0 { out.append((name, ds / dc, dc, ds)) }
        }
        phases = out
    }

    public func mean(_ name: String) -> Double? { phases.first { $0.name == name }?.meanSeconds }

    /// Δ`_sum` of a histogram over the run (seconds); nil if it had no observations.
    public func sum(_ name: String) -> Double? { phases.first { $0.name == name }?.sumSeconds }

    /// Δ`_count` of a histogram over the run; nil if it had no observations.
    public func count(_ name: String) -> Double? { phases.first { $0.name == name }?.count }
}
