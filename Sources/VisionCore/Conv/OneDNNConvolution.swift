import COneDNN
import Foundation

/// oneDNN's convolution primitive (`dnnl_convolution_forward`, the optimised direct convolution torch's
/// `Conv3d` dispatches to on CPU through mkldnn), on NCDHW input and output, float32 or bfloat16. On first use
/// the weights are converted once; a primitive is built per input shape and cached (LRU of `VL_ONEDNN_CACHE`).
final class OneDNNConvolution: @unchecked Sendable {
    let geometry: Conv3dGeometry
    private let weight: [Float]
    private let bias: [Float]?
    private let dtype: GemmDType
    private let lock = NSLock()
    /// The C object, made on first use: most convolutions never run `.conv`, and making it copies the weights.
    private var created: OpaquePointer?

    init(geometry: Conv3dGeometry, weight: [Float], bias: [Float]?, dtype: GemmDType) {
        self.geometry = geometry
        self.weight = weight
        self.bias = bias
        self.dtype = dtype
    }

    deinit { if let created { vl_conv3d_destroy(created) } }

    private func handle() throws(GemmError) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let created { return created }
        let g = geometry
        let values: [Int64] = [g.inChannels, g.outChannels, g.kernel.t, g.kernel.h, g.kernel.w, g.stride.t, g.stride.h,
                               g.stride.w, g.padding.t, g.padding.h, g.padding.w].map(Int64.init)
        var made: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let status = weight.withUnsafeBufferPointer { w in
            OneDNNMatmul.withOptional(bias) { b in
                vl_conv3d_create(&made, values, w.baseAddress, b, dtype == .bfloat16 ? 1 : 0, &message, message.count)
            }
        }
        guard status == 0, let made else { throw .unsupported(OneDNNMatmul.string(message)) }
        created = made
        return made
    }

    /// oneDNN's implementation name for this input shape (e.g. `brg:avx512_core`).
    func kernelName(batch: Int, input: Extent3) -> String {
        var name = [CChar](repeating: 0, count: 128)
        var message = [CChar](repeating: 0, count: 256)
        let conv: OpaquePointer
        do { conv = try handle() } catch { return "unavailable: \(error)" }
        guard vl_conv3d_impl(conv, Int64(batch), Int64(input.t), Int64(input.h), Int64(input.w), &name, name.count,
                             &message, message.count) == 0 else {
            return "unavailable: \(OneDNNMatmul.string(message))"
        }
        return OneDNNMatmul.string(name)
    }

    /// `output [batch, out, D', H', W']` = conv(`input [batch, in, D, H, W]`).
    func run(_ input: UnsafePointer<Float>, batch: Int, input extent: Extent3,
             into output: UnsafeMutablePointer<Float>) throws(GemmError) {
        var message = [CChar](repeating: 0, count: 256)
        let status = vl_conv3d_run(try handle(), input, Int64(batch), Int64(extent.t), Int64(extent.h), Int64(extent.w),
                                   output, Int32(VisionThreads.count), &message, message.count)
        guard status == 0 else { throw .unsupported(OneDNNMatmul.string(message)) }
    }
}
