/// Minimal Prometheus text-format reader for the server's `/metrics`: sums every sample of a
/// metric name across label sets (so per-model/engine labels add up).
public struct PrometheusText: Sendable {
    /// name (without labels) → summed value.
    public private(set) var values: [String: Double] = [:]

    public init(_ text: String) {
        for line in text.split(separator: "\n") {
            guard let f = line.first, f != "#" else { continue }
            var nameEnd = line.firstIndex(where: { $0 == "{" || $0 == " " }) ?? line.endIndex
            let name = String(line[..<nameEnd])
            if nameEnd < line.endIndex, line[nameEnd] == "{" {
                guard let close = line[nameEnd...].firstIndex(of: "}") else { continue }
                nameEnd = line.index(after: close)
            }
            let rest = line[nameEnd...].split(separator: " ", omittingEmptySubsequences: true)
            guard let v = rest.first.flatMap({ Double($0) }) else { continue }
            values[name, default: 0] += v
        }
    }

    public subscript(_ name: String) -> Double? { values[name] }

    /// Histogram names present (those with both `_sum` and `_count` samples).
    public var histogramNames: [String] {
        values.keys.filter { $0.hasSuffix("_sum") }.map { String($0.dropLast(4)) }
            .filter { values[$0 + "_count"] != nil }.sorted()
    }
}

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
