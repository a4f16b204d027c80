/// One prepared GEMM implementation: weights `[n, k]` already in the library's layout and dtype.
/// `run` computes `c[rows, n] = a[rows, k] · Wᵀ + bias` (float32 in and out).
protocol GemmKernel: AnyObject, Sendable {
    /// What runs, e.g. `openblas sgemm (Cooperlake)` or `onednn brg:avx512_core_bf16`, for `rows` rows.
    func kernelName(rows: Int) -> String
    func run(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>) throws(GemmError)
}
