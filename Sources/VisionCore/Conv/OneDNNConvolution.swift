import COneDNN

/// oneDNN's convolution primitive (`dnnl_convolution_forward`, the optimised direct convolution torch's
/// `Conv3d` dispatches to on CPU through mkldnn), on NCDHW input and output, float32 or bfloat16. Weights
/// are converted once; a primitive is built per input shape and cached (LRU of `VL_ONEDNN_CACHE`).
final class OneDNNConvolution: @unchecked Sendable {
    private let handle: OpaquePointer
    let geometry: Conv3dGeometry

    init(geometry: Conv3dGeometry, weight: [Float], bias: [Float]?, dtype: GemmDType) throws(GemmError) {
        let g = geometry
        let values: [Int64] = [g.inChannels, g.outChannels, g.kernel.t, g.kernel.h, g.kernel.w, g.stride.t, g.stride.h,
                               g.stride.w, g.padding.t, g.padding.h, g.padding.w].map(Int64.init)
        var created: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let status = weight.withUnsafeBufferPointer { w in
            OneDNNMatmul.withOptional(bias) { b in
                vl_conv3d_create(&created, values, w.baseAddress, b, dtype == .bfloat16 ? 1 : 0, &message, message.count)
            }
        }
        guard status == 0, let created else { throw .unsupported(OneDNNMatmul.string(message)) }
        handle = created
        self.geometry = geometry
    }

    deinit { vl_conv3d_destroy(handle) }

    /// oneDNN's implementation name for this input shape (e.g. `brg:avx512_core`).
    func kernelName(batch: Int, input: Extent3) -> String {
        var name = [CChar](repeating: 0, count: 128)
        var message = [CChar](repeating: 0, count: 256)
        guard vl_conv3d_impl(handle, Int64(batch), Int64(input.t), Int64(input.h), Int64(input.w), &name, name.count,
                             &message, message.count) == 0 else {
            return "unavailable: \(OneDNNMatmul.string(message))"
        }
        return OneDNNMatmul.string(name)
    }

    /// `output [batch, out, D', H', W']` = conv(`input [batch, in, D, H, W]`).
    func run(_ input: UnsafePointer<Float>, batch: Int, input extent: Extent3,
             into output: UnsafeMutablePointer<Float>) throws(GemmError) {
        var message = [CChar](repeating: 0, count: 256)
        let status = vl_conv3d_run(handle, input, Int64(batch), Int64(extent.t), Int64(extent.h), Int64(extent.w), output,
                                   Int32(VisionThreads.count), &message, message.count)
        guard status == 0 else { throw .unsupported(OneDNNMatmul.string(message)) }
    }
}
