/// One operator of `vlserve bench-vit`: the selected implementation against the naive reference, medians in
/// milliseconds per tower run (summed over the blocks).
public struct ViTBenchmarkRow: Codable, Sendable, Equatable {
    /// `TowerOperator` raw value (`attention`, `mlp`, ...), or `tower` for the whole encode.
    public var operation: String
    public var implementation: String
    public var ms: Double
    public var gflops: Double
    /// Share of the selected tower's time (0...1).
    public var share: Double
    public var referenceImplementation: String?
    public var referenceMs: Double?
    /// `referenceMs / ms` (how many times faster than the reference).
    public var speedup: Double?
}
