/// One row of `vlserve bench-conv`: one implementation on one GEMM backend and dtype, timed on the
/// patch-embedding shape, or a raw library call (`sgemm`, `onednn-matmul`).
///
/// JSON keys: `impl`, `backend`, `dtype`, `kernel`, `median_ms`, `gflops`, `ratio_to_sgemm`, `ratio_to_raw`
/// (times and ratios rounded to 4 decimals) and `max_abs_diff` (against float32 `direct`). `impl`,
/// `median_ms`, `gflops`, `ratio_to_sgemm` and `max_abs_diff` keep their earlier meaning.
public struct ConvBenchmarkRow: Sendable, Equatable, Encodable {
    /// "direct", "conv", "im2col", "gemm", "auto", or a raw call: "sgemm", "onednn-matmul".
    public var impl: String
    /// "openblas" or "onednn" (what the row's GEMM or convolution runs on).
    public var backend: String
    /// "float32" or "bfloat16".
    public var dtype: String
    /// The library's kernel, e.g. "openblas sgemm (Haswell)", "onednn brg:avx512_core_bf16".
    public var kernel: String
    /// Median wall time of one run, in milliseconds.
    public var medianMs: Double
    /// `2 · patches · 1176 · 1280 / time`, in GFLOP/s.
    public var gflops: Double
    /// This row's GFLOP/s over raw sgemm's (1 for the sgemm row).
    public var ratioToSgemm: Double
    /// This row's GFLOP/s over the raw library call of the same backend and dtype (1 for raw rows; NaN for
    /// `direct`, which uses no library).
    public var ratioToRaw: Double
    /// max |out − direct (float32)| over all outputs.
    public var maxAbsDiff: Double

    public init(impl: String, backend: String = "openblas", dtype: String = "float32", kernel: String = "",
                medianMs: Double, gflops: Double, ratioToSgemm: Double, ratioToRaw: Double = .nan,
                maxAbsDiff: Double) {
        self.impl = impl
        self.backend = backend
        self.dtype = dtype
        self.kernel = kernel
        self.medianMs = medianMs
        self.gflops = gflops
        self.ratioToSgemm = ratioToSgemm
        self.ratioToRaw = ratioToRaw
        self.maxAbsDiff = maxAbsDiff
    }

    enum CodingKeys: String, CodingKey {
        case impl, backend, dtype, kernel, gflops
        case medianMs = "median_ms", ratioToSgemm = "ratio_to_sgemm", ratioToRaw = "ratio_to_raw"
        case maxAbsDiff = "max_abs_diff"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(impl, forKey: .impl)
        try c.encode(backend, forKey: .backend)
        try c.encode(dtype, forKey: .dtype)
        try c.encode(kernel, forKey: .kernel)
        try c.encodeFinite(BenchmarkStatistics.rounded(medianMs, places: 4), forKey: .medianMs)
        try c.encodeFinite(BenchmarkStatistics.rounded(gflops, places: 4), forKey: .gflops)
        try c.encodeFinite(BenchmarkStatistics.rounded(ratioToSgemm, places: 4), forKey: .ratioToSgemm)
        try c.encodeFinite(BenchmarkStatistics.rounded(ratioToRaw, places: 4), forKey: .ratioToRaw)
        try c.encodeFinite(maxAbsDiff, forKey: .maxAbsDiff)
    }
}
