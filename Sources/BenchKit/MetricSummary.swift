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
