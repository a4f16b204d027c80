/// The hyper-parameters of a `torch.nn.Conv3d(in, out, kernel_size, stride, padding, bias)` with groups 1 and
/// dilation 1. Padding is zero padding applied symmetrically on each axis (torch's `padding=(pT, pH, pW)`).
public struct Conv3dGeometry: Sendable, Equatable {
    public var inChannels: Int
    public var outChannels: Int
    public var kernel: Extent3
    public var stride: Extent3
    public var padding: Extent3
    public var bias: Bool

    public init(inChannels: Int, outChannels: Int, kernel: Extent3, stride: Extent3? = nil,
                padding: Extent3 = Extent3(0), bias: Bool = false) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.bias = bias
    }

    /// Tuple convenience, `(t, h, w)` order: `Conv3dGeometry(inChannels: 3, outChannels: 1280, kernel: (2, 14, 14))`.
    public init(inChannels: Int, outChannels: Int, kernel: (Int, Int, Int), stride: (Int, Int, Int)? = nil,
                padding: (Int, Int, Int) = (0, 0, 0), bias: Bool = false) {
        self.init(inChannels: inChannels, outChannels: outChannels,
                  kernel: Extent3(t: kernel.0, h: kernel.1, w: kernel.2),
                  stride: stride.map { Extent3(t: $0.0, h: $0.1, w: $0.2) },
                  padding: Extent3(t: padding.0, h: padding.1, w: padding.2), bias: bias)
    }

    /// Qwen2.5-VL's patch embedding: `Conv3d(3, 1280, kernel_size=[2,14,14], stride=[2,14,14], bias=False)`.
    public static func qwenPatchEmbed(inChannels: Int = 3, hiddenSize: Int = 1280, temporalPatchSize: Int = 2,
                                      patchSize: Int = 14) -> Conv3dGeometry {
        Conv3dGeometry(inChannels: inChannels, outChannels: hiddenSize,
                       kernel: Extent3(t: temporalPatchSize, h: patchSize, w: patchSize))
    }

    /// Upper bound on every kernel, stride and padding extent (keeps index arithmetic far from overflow).
    public static let maxExtent = 1 << 20

    /// Number of weights per output channel: `inChannels * kT * kH * kW` (1176 for Qwen2.5-VL).
    public var kernelVolume: Int { inChannels * kernel.product }

    /// Element count of the weight `[out, in, kT, kH, kW]`.
    public var weightCount: Int { outChannels * kernelVolume }

    /// torch's output extent: `floor((in + 2*pad - kernel) / stride) + 1`, or nil when the padded input is
    /// smaller than the kernel.
    public func outputExtent(depth: Int, height: Int, width: Int) -> Extent3? {
        func axis(_ n: Int, _ k: Int, _ s: Int, _ p: Int) -> Int? {
            let padded = n + 2 * p
            return padded < k ? nil : (padded - k) / s + 1
        }
        guard let d = axis(depth, kernel.t, stride.t, padding.t),
              let h = axis(height, kernel.h, stride.h, padding.h),
              let w = axis(width, kernel.w, stride.w, padding.w) else { return nil }
        return Extent3(t: d, h: h, w: w)
    }

    /// Why the zero-copy `gemm` path cannot run this geometry on an input of this extent, or nil if it can.
    public func gemmInapplicability(depth: Int, height: Int, width: Int) -> String? {
        if kernel != stride { return "kernel \(kernel) != stride \(stride)" }
        if padding != Extent3(0) { return "padding \(padding) is not zero" }
        let input = Extent3(t: depth, h: height, w: width)
        if input != kernel {
            return "each sample must be exactly one kernel volume (input \(input), kernel \(kernel))"
        }
        return nil
    }

    /// Checks that every extent is positive and padding non-negative.
    func validate() throws(Conv3dError) {
        if inChannels <= 0 || outChannels <= 0 {
            throw .invalidGeometry("channels must be positive (in \(inChannels), out \(outChannels))")
        }
        if kernel.t <= 0 || kernel.h <= 0 || kernel.w <= 0 {
            throw .invalidGeometry("kernel \(kernel) must be positive")
        }
        if stride.t <= 0 || stride.h <= 0 || stride.w <= 0 {
            throw .invalidGeometry("stride \(stride) must be positive")
        }
        if padding.t < 0 || padding.h < 0 || padding.w < 0 {
            throw .invalidGeometry("padding \(padding) must not be negative")
        }
        let limit = Self.maxExtent
        for e in [kernel, stride, padding] where e.t > limit || e.h > limit || e.w > limit {
            throw .invalidGeometry("kernel, stride and padding must be at most \(limit) (got \(e))")
        }
    }
}
