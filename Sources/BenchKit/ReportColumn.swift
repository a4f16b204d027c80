/// One run of one variant, as the comparison report needs it.
public struct ReportColumn: Sendable {
    public var name: String
    public var metrics: BenchmarkMetrics
    public var duration: Double
    public var phases: PhaseTimings?
    /// TTFT of every successful request (s), for the CDF chart.
    public var ttfts: [Double]
    public init(name: String, metrics: BenchmarkMetrics, duration: Double, phases: PhaseTimings?, ttfts: [Double] = []) {
        self.name = name; self.metrics = metrics; self.duration = duration; self.phases = phases; self.ttfts = ttfts
    }

    /// The TTFT breakdown of this run, if the server exported vlserve's phase histograms.
    public var breakdown: TTFTBreakdown? {
        phases.flatMap { TTFTBreakdown(phases: $0, clientMeanTTFTms: metrics.summaries[.ttft]?.mean ?? 0) }
    }
}
