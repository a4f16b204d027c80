/// The outcome of one run of one variant.
public struct VariantResult: Sendable {
    public var variant: ServerVariant
    /// 1-based repeat of this variant.
    public var repeatIndex: Int
    public var run: BenchmarkRunResult
    public var phases: PhaseTimings?
    public var resultPath: String

    /// The report's view of this run.
    public var column: ReportColumn {
        ReportColumn(name: variant.name, metrics: run.metrics, duration: run.duration, phases: phases,
                     ttfts: run.outputs.filter(\.success).map(\.ttft))
    }
}
