/// One row of `vlserve bench-conv`: one implementation timed on the patch-embedding shape.
///
/// JSON keys: `impl`, `median_ms`, `gflops`, `ratio_to_sgemm` (times rounded to 4 decimals) and
/// `max_abs_diff`. A later field (a GEMM backend, a dtype) is added as an optional property encoded only when
/// set, so existing readers keep working.
public struct ConvBenchmarkRow: Sendable, Equatable, Encodable {
    /// "direct", "im2col", "gemm", "auto" or "sgemm".
    public var impl: String
    /// Median wall time of one run, in milliseconds.
    public var medianMs: Double
    /// `2 · patches · 1176 · 1280 / time`, in GFLOP/s.
    public var gflops: Double
    /// This row's GFLOP/s over raw sgemm's (1 for the sgemm row).
    public var ratioToSgemm: Double
    /// max |out − direct| over all outputs.
    public var maxAbsDiff: Double

    public init(impl: String, medianMs: Double, gflops: Double, ratioToSgemm: Double, maxAbsDiff: Double) {
        self.impl = impl
        self.medianMs = medianMs
        self.gflops = gflops
        self.ratioToSgemm = ratioToSgemm
        self.maxAbsDiff = maxAbsDiff
    }

    enum CodingKeys: String, CodingKey {
        case impl, gflops
        case medianMs = "median_ms", ratioToSgemm = "ratio_to_sgemm", maxAbsDiff = "max_abs_diff"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(impl, forKey: .impl)
        try c.encodeFinite(BenchmarkStatistics.rounded(medianMs, places: 4), forKey: .medianMs)
        try c.encodeFinite(BenchmarkStatistics.rounded(gflops, places: 4), forKey: .gflops)
        try c.encodeFinite(BenchmarkStatistics.rounded(ratioToSgemm, places: 4), forKey: .ratioToSgemm)
        try c.encodeFinite(maxAbsDiff, forKey: .maxAbsDiff)
    }
}
