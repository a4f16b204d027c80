/// A 3-D convolution with the semantics of `torch.nn.Conv3d` (groups 1, dilation 1, zero padding),
/// on NCDHW float32 tensors, with several interchangeable implementations (`Conv3dImplementation`).
///
/// Weight layout is torch's `[out, in, kT, kH, kW]` row-major, i.e. also the row-major matrix
/// `[out, in*kT*kH*kW]` the GEMM paths use without any copy.
public struct Conv3d: Sendable {
    public let geometry: Conv3dGeometry
    /// `[out, in, kT, kH, kW]` row-major.
    public let weight: [Float]
    /// `[out]`, or nil for `bias=False`.
    public let bias: [Float]?
    /// Backend and dtype of the GEMM paths (`im2col`, `gemm`) and dtype of `conv` and `direct`.
    public let gemm: GemmConfiguration
    /// The weight as a `[out, in*kT*kH*kW]` linear layer, prepared once for `gemm`.
    let linear: Linear
    /// oneDNN's convolution (`.conv`), weights prepared once.
    let convolution: OneDNNConvolution
    /// The weight rounded to bfloat16 for `.direct` in bfloat16 (else the weight itself).
    let directWeight: [Float]

    /// Throws `Conv3dError` when the geometry is invalid or the weight/bias sizes do not match it
    /// (a bias must be given exactly when `geometry.bias` is true), or when `gemm` cannot run here.
    public init(geometry: Conv3dGeometry, weight: [Float], bias: [Float]?,
                gemm: GemmConfiguration = .openblasFloat32) throws(Conv3dError) {
        try geometry.validate()
        guard let weightCount = Self.checkedProduct(geometry.outChannels, geometry.inChannels, geometry.kernel.t,
                                               geometry.kernel.h, geometry.kernel.w) else {
            throw .invalidGeometry("weight size [\(geometry.outChannels), \(geometry.inChannels), \(geometry.kernel)] overflows")
        }
        guard weight.count == weightCount else {
            throw .weightShape("weight has \(weight.count) elements, expected \(geometry.weightCount) = "
                + "[\(geometry.outChannels), \(geometry.inChannels), \(geometry.kernel.t), "
                + "\(geometry.kernel.h), \(geometry.kernel.w)]")
        }
        switch (geometry.bias, bias) {
        case (true, nil): throw .weightShape("geometry has bias=True but no bias was given")
        case (false, .some): throw .weightShape("geometry has bias=False but a bias was given")
        case (true, .some(let b)) where b.count != geometry.outChannels:
            throw .weightShape("bias has \(b.count) elements, expected \(geometry.outChannels)")
        default: break
        }
        self.geometry = geometry
        self.weight = weight
        self.bias = bias
        self.gemm = gemm
        do throws(GemmError) {
            linear = try Linear(weight: weight, bias: bias, outFeatures: geometry.outChannels,
                                inFeatures: geometry.kernelVolume, configuration: gemm)
            convolution = OneDNNConvolution(geometry: geometry, weight: weight, bias: bias, dtype: gemm.dtype)
        } catch {
            throw .backend(error.description)
        }
        directWeight = gemm.dtype == .bfloat16 ? BFloat16.rounded(weight) : weight
    }

    /// What runs for `implementation` on this input, e.g. `gemm: onednn brg:avx512_core_bf16`.
    public func kernelName(_ implementation: Conv3dImplementation, batch: Int, depth: Int, height: Int,
                           width: Int) -> String {
        let impl = resolve(implementation, depth: depth, height: height, width: width)
        let voxels = geometry.outputExtent(depth: depth, height: height, width: width)?.product ?? 1
        switch impl {
        case .direct: return "direct: naive loops (\(gemm.dtype.rawValue))"
        case .conv: return "conv: onednn " + convolution.kernelName(batch: batch, input: Extent3(t: depth, h: height, w: width))
        case .im2col: return "im2col: " + linear.kernelName(rows: max(1, batch * voxels))
        case .gemm, .auto: return "gemm: " + linear.kernelName(rows: max(1, batch))
        case .folded: return "folded: patch embedding only"
        }
    }

    /// The implementation `.auto` resolves to for an input of this extent: `.gemm` where it applies, else `.im2col`.
    public func resolve(_ implementation: Conv3dImplementation, depth: Int, height: Int,
                        width: Int) -> Conv3dImplementation {
        guard implementation == .auto else { return implementation }
        return geometry.gemmInapplicability(depth: depth, height: height, width: width) == nil ? .gemm : .im2col
    }

    /// Convolves `input` (`[batch, in, depth, height, width]` row-major) and returns the
    /// `[batch, out, D', H', W']` output with its extents.
    public func forward(_ input: [Float], batch: Int, depth: Int, height: Int, width: Int,
                        implementation: Conv3dImplementation) throws(Conv3dError)
        -> (output: [Float], depth: Int, height: Int, width: Int) {
        // A typed-throws closure cannot rethrow through withUnsafeBufferPointer; capture the result instead.
        let result: Result<(output: [Float], depth: Int, height: Int, width: Int), Conv3dError> =
            input.withUnsafeBufferPointer { buffer in
                Result { () throws(Conv3dError) in
                    try forward(buffer, batch: batch, depth: depth, height: height, width: width,
                                implementation: implementation)
                }
            }
        return try result.get()
    }

    /// Pointer form of `forward(_:batch:depth:height:width:implementation:)`; `.gemm` reads `input` in place.
    public func forward(_ input: UnsafeBufferPointer<Float>, batch: Int, depth: Int, height: Int, width: Int,
                        implementation: Conv3dImplementation) throws(Conv3dError)
        -> (output: [Float], depth: Int, height: Int, width: Int) {
        guard batch >= 0, depth > 0, height > 0, width > 0 else {
            throw .inputShape("batch \(batch) and extents \(depth)x\(height)x\(width) must be positive")
        }
        guard let expected = Self.checkedProduct(batch, geometry.inChannels, depth, height, width) else {
            throw .inputShape("input size [\(batch), \(geometry.inChannels), \(depth), \(height), \(width)] overflows")
        }
        guard input.count == expected else {
            throw .inputShape("input has \(input.count) elements, expected \(expected) = [\(batch), "
                + "\(geometry.inChannels), \(depth), \(height), \(width)]")
        }
        guard let out = geometry.outputExtent(depth: depth, height: height, width: width) else {
            throw .inputShape("input \(depth)x\(height)x\(width) plus padding \(geometry.padding) is smaller "
                + "than the kernel \(geometry.kernel)")
        }
        guard let count = Self.checkedProduct(batch, geometry.outChannels, out.t, out.h, out.w),
              Self.checkedProduct(batch, out.t, out.h, out.w, geometry.kernelVolume) != nil else {
            throw .inputShape("output or column buffer for input \(depth)x\(height)x\(width) x \(batch) overflows")
        }
        let impl = resolve(implementation, depth: depth, height: height, width: width)
        var failure: Conv3dError?
        let output = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard count > 0, let base = input.baseAddress else {
                buffer.initialize(repeating: 0)
                initialized = count
                return
            }
            let shape = Shape(batch: batch, input: Extent3(t: depth, h: height, w: width), output: out)
            do throws(Conv3dError) {
                switch impl {
                case .direct: directForward(base, shape: shape, into: buffer.baseAddress!)
                case .conv: try convForward(base, shape: shape, into: buffer.baseAddress!)
                case .im2col: try im2colForward(base, shape: shape, into: buffer.baseAddress!)
                case .gemm, .auto: try gemmForward(base, shape: shape, into: buffer.baseAddress!)
                case .folded:
                    throw .foldedNotApplicable(reason: "it is a patch-embedding (PatchEmbedding) implementation for still "
                        + "images, not a general Conv3d one")
                }
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
            }
            initialized = count
        }
        if let failure { throw failure }
        return (output, out.t, out.h, out.w)
    }

    /// The product of `factors`, or nil if it overflows `Int`.
    static func checkedProduct(_ factors: Int...) -> Int? {
        var p = 1
        for f in factors {
            let (r, overflow) = p.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            p = r
        }
        return p
    }

    /// oneDNN's convolution primitive on the NCDHW input, straight into the NCDHW output.
    func convForward(_ input: UnsafePointer<Float>, shape: Shape,
                     into output: UnsafeMutablePointer<Float>) throws(Conv3dError) {
        do throws(GemmError) {
            try convolution.run(input, batch: shape.batch, input: shape.input, into: output)
        } catch {
            throw .backend(error.description)
        }
    }

    /// Batch size and input/output extents of one forward call.
    struct Shape {
        var batch: Int
        var input: Extent3
        var output: Extent3
    }
}
