/// Every run of one variant (first variant of a comparison = baseline).
public struct VariantRuns: Sendable {
    public var name: String
    public var runs: [ReportColumn]
    public init(name: String, runs: [ReportColumn]) { self.name = name; self.runs = runs }
}
