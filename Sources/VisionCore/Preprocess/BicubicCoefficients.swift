/// Pillow's resampling coefficients for one axis with the BICUBIC filter, in 8-bit fixed point:
/// `precompute_coeffs` + `normalize_coeffs_8bpc` of Pillow's src/libImaging/Resample.c (box = whole image).
///
/// For output index `o`: `center = (o + 0.5) * scale`, `scale = in / out`, `filterscale = max(scale, 1)`,
/// `support = 2 * filterscale`, `xmin = max(Int(center - support + 0.5), 0)`,
/// `count = min(Int(center + support + 0.5), in) - xmin`,
/// `w_k = bicubic((k + xmin - center + 0.5) * (1 / filterscale))`, normalised by their sum, then
/// `Int32(w * 2^22 ± 0.5)` (truncation toward zero, i.e. round half away from zero).
public struct BicubicCoefficients: Sendable, Equatable {
    /// Fixed-point precision: `32 - 8 - 2` bits (Pillow's PRECISION_BITS for 8-bit images).
    public static let precisionBits: Int32 = 22

    public let inSize: Int
    public let outSize: Int
    /// Taps stored per output index (`2 * ceil(support) + 1`); unused taps are 0.
    public let kernelSize: Int
    /// First input index per output index.
    public var starts: [Int32]
    /// Number of input indices used per output index.
    public var counts: [Int32]
    /// `[outSize, kernelSize]` fixed-point weights.
    public var weights: [Int32]

    /// Pillow's bicubic kernel (Keys, a = -0.5), support 2.
    @inlinable public static func bicubic(_ xIn: Double) -> Double {
        let a = -0.5
        let x = xIn < 0 ? -xIn : xIn
        if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
        if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0.0
    }

    /// Coefficients to resample `inSize` samples to `outSize` samples (both > 0).
    public init(inSize: Int, outSize: Int) {
        precondition(inSize > 0 && outSize > 0, "BicubicCoefficients: sizes must be positive")
        self.inSize = inSize
        self.outSize = outSize
        let scale = Double(inSize) / Double(outSize)
        let filterscale = max(scale, 1.0)
        let support = 2.0 * filterscale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        kernelSize = ksize
        starts = [Int32](repeating: 0, count: outSize)
        counts = [Int32](repeating: 0, count: outSize)
        weights = [Int32](repeating: 0, count: outSize * ksize)
        let ss = 1.0 / filterscale
        let one = Double(1 << Self.precisionBits)
        var k = [Double](repeating: 0, count: ksize)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            var xmin = Int(center - support + 0.5)  // C cast: truncation toward zero
            if xmin < 0 { xmin = 0 }
            var xmax = Int(center + support + 0.5)
            if xmax > inSize { xmax = inSize }
            xmax -= xmin
            var ww = 0.0
            for x in 0..<xmax {
                let w = Self.bicubic((Double(x + xmin) - center + 0.5) * ss)
                k[x] = w
                ww += w
            }
            for x in 0..<xmax {
                let w = ww != 0.0 ? k[x] / ww : k[x]
                weights[xx * ksize + x] = Int32(w < 0 ? -0.5 + w * one : 0.5 + w * one)
            }
            starts[xx] = Int32(xmin)
            counts[xx] = Int32(xmax)
        }
    }

    /// The same weights with a fixed tap count per output: output `o` reads exactly `taps` inputs from
    /// `starts[o]` (`starts[o] + taps <= inSize`, shifted left near the end) and the weights are placed at
    /// their input positions with zeros around them. Adding zero terms leaves Pillow's sums unchanged.
    public func padded() -> (taps: Int, starts: [Int32], weights: [Int32]) {
        let taps = min(kernelSize, inSize)
        var paddedStarts = [Int32](repeating: 0, count: outSize)
        var paddedWeights = [Int32](repeating: 0, count: outSize * taps)
        for o in 0..<outSize {
            let start = Int(starts[o]), n = Int(counts[o])
            let shifted = max(0, min(start, inSize - taps))
            paddedStarts[o] = Int32(shifted)
            for i in 0..<n { paddedWeights[o * taps + (start - shifted) + i] = weights[o * kernelSize + i] }
        }
        return (taps, paddedStarts, paddedWeights)
    }
}
