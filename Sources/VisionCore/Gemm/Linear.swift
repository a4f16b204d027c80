/// A linear layer on the GEMM layer: `y[rows, n] = x[rows, k] · Wᵀ + bias` (`F.linear`), activations
/// float32 in and out, with the weights prepared once at construction in the backend's layout and dtype
/// (never converted again per call). Every vision GEMM goes through this type.
///
/// Thread safety: `forward` may be called from any thread; calls on one `Linear` with oneDNN run one at a
/// time (it owns a conversion buffer and a primitive cache).
public final class Linear: Sendable {
    /// `n`: output features (rows of W).
    public let outFeatures: Int
    /// `k`: input features (columns of W).
    public let inFeatures: Int
    public let configuration: GemmConfiguration
    private let kernel: any GemmKernel

    /// `weight`: `[outFeatures, inFeatures]` row-major float32 (torch's `Linear.weight`); `bias`: `[outFeatures]`.
    public init(weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int,
                configuration: GemmConfiguration = .openblasFloat32) throws(GemmError) {
        guard outFeatures > 0, inFeatures > 0, weight.count == outFeatures * inFeatures else {
            throw .shape("weight has \(weight.count) elements, expected [\(outFeatures), \(inFeatures)]")
        }
        if let bias, bias.count != outFeatures {
            throw .shape("bias has \(bias.count) elements, expected \(outFeatures)")
        }
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.configuration = configuration
        switch (configuration.backend, configuration.dtype) {
        case (.openblas, .float32):
            kernel = OpenBLASGemm(weight: weight, bias: bias, n: outFeatures, k: inFeatures)
        case (.openblas, .bfloat16):
            throw .unsupported("the openblas backend runs float32 only; use onednn for bfloat16")
        case (.onednn, let dtype):
            kernel = try OneDNNMatmul(weight: weight, bias: bias, n: outFeatures, k: inFeatures, dtype: dtype)
        }
    }

    /// What runs for `rows` rows, e.g. `openblas sgemm (Haswell)` or `onednn brg:avx512_core_bf16`.
    public func kernelName(rows: Int = 1024) -> String { kernel.kernelName(rows: rows) }

    /// `c[rows, n] = a[rows, k] · Wᵀ + bias`; `a` and `c` must hold `rows × k` and `rows × n` floats.
    public func forward(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>) throws(GemmError) {
        guard rows > 0 else { return }
        try kernel.run(a, rows: rows, into: c)
    }

    /// Array form: `a` is `[rows, k]`; returns `[rows, n]`.
    public func forward(_ a: [Float], rows: Int) throws(GemmError) -> [Float] {
        guard rows >= 0, a.count == rows * inFeatures else {
            throw .shape("input has \(a.count) elements, expected \(rows) rows x \(inFeatures)")
        }
        var failure: GemmError?
        let output = [Float](unsafeUninitializedCapacity: rows * outFeatures) { buffer, initialized in
            a.withUnsafeBufferPointer { input in
                do throws(GemmError) {
                    if rows > 0 { try forward(input.baseAddress!, rows: rows, into: buffer.baseAddress!) }
                } catch {
                    failure = error
                    buffer.initialize(repeating: 0)
                }
            }
            initialized = rows * outFeatures
        }
        if let failure { throw failure }
        return output
    }
}
