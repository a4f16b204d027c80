import COneDNN

/// `onednn`: oneDNN's matmul primitive (C layer `vl_matmul_*`), float32 or bfloat16. The weights are
/// converted and reordered once here; primitives are cached per row count (LRU of `VL_ONEDNN_CACHE`).
final class OneDNNMatmul: GemmKernel, @unchecked Sendable {
    private let handle: OpaquePointer
    let dtype: GemmDType

    init(weight: [Float], bias: [Float]?, n: Int, k: Int, dtype: GemmDType) throws(GemmError) {
        precondition(weight.count == n * k && (bias?.count ?? n) == n)
        var created: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let status = weight.withUnsafeBufferPointer { w in
            OneDNNMatmul.withOptional(bias) { b in
                vl_matmul_create(&created, Int64(n), Int64(k), w.baseAddress, b, dtype == .bfloat16 ? 1 : 0,
                                 &message, message.count)
            }
        }
        guard status == 0, let created else { throw .unsupported(OneDNNMatmul.string(message)) }
        handle = created
        self.dtype = dtype
    }

    deinit { vl_matmul_destroy(handle) }

    func kernelName(rows: Int) -> String {
        var name = [CChar](repeating: 0, count: 128)
        var message = [CChar](repeating: 0, count: 256)
        guard vl_matmul_impl(handle, Int64(max(1, rows)), &name, name.count, &message, message.count) == 0 else {
            return "onednn (unavailable: \(OneDNNMatmul.string(message)))"
        }
        return "onednn \(OneDNNMatmul.string(name))"
    }

    func run(_ a: UnsafePointer<Float>, rows: Int, into c: UnsafeMutablePointer<Float>) throws(GemmError) {
        var message = [CChar](repeating: 0, count: 256)
        let status = vl_matmul_run(handle, a, Int64(rows), c, Int32(VisionThreads.count), &message, message.count)
        guard status == 0 else { throw .unsupported(OneDNNMatmul.string(message)) }
    }

    static func withOptional<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The loaded oneDNN's version, e.g. `2.6.3`.
    static let version: String = {
        var text = [CChar](repeating: 0, count: 32)
        vl_onednn_version(&text, text.count)
        return string(text)
    }()
}
