/// The naive reference for every GEMM path: `C[m, n] = Σ_k A[m, k] · W[n, k] + bias[n]`, accumulated in
/// float64, with bfloat16 inputs emulated by rounding A and W to bfloat16 first. Slow (no blocking, one
/// thread); tests check the fast backends against it.
public enum ReferenceGemm {
    /// `a`: `[m, k]`, `weight`: `[n, k]`, `bias`: `[n]` or nil; returns `[m, n]` row-major.
    public static func forward(_ a: [Float], rows m: Int, weight: [Float], outFeatures n: Int, inFeatures k: Int,
                               bias: [Float]?, dtype: GemmDType = .float32) -> [Float] {
        precondition(a.count == m * k && weight.count == n * k && (bias?.count ?? n) == n)
        let (x, w) = dtype == .bfloat16 ? (BFloat16.rounded(a), BFloat16.rounded(weight)) : (a, weight)
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = Double(bias?[j] ?? 0)
                for p in 0..<k { sum += Double(x[i * k + p]) * Double(w[j * k + p]) }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }
}
