/// `openblas` float32: the bias is copied into every output row, then one
/// `cblas_sgemm(RowMajor, NoTrans, Trans, rows, n, k, 1, a, k, W, k, 1, c, n)` (`F.linear`).
final class OpenBLASGemm: GemmKernel, @unchecked Sendable {
    let weight: [Float]
    let bias: [Float]?
    let n: Int
    let k: Int

    init(weight: [Float], bias: [Float]?, n: Int, k: Int) {
        self.weight = weight
        self.bias = bias
        self.n = n
        self.k = k
    }

    func kernelName(rows: Int) -> String { "openblas sgemm (\(BLAS.coreName))" }

    func run(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>) throws(GemmError) {
        guard BLAS.fitsBLAS(rows, n, k, rows * k, rows * n) else {
            throw .shape("[\(rows), \(k)] x [\(n), \(k)]ᵀ exceeds CBLAS's 32-bit sizes")
        }
        var beta: Float = 0
        if let bias {
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows { (c + r * n).update(from: b.baseAddress!, count: n) }
            }
            beta = 1
        }
        weight.withUnsafeBufferPointer { w in
            BLAS.sgemmABt(m: rows, n: n, k: k, a: a, b: w.baseAddress!, c: c, beta: beta)
        }
    }
}
