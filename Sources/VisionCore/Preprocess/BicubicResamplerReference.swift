/// The readable reference for `BicubicResampler`: Pillow's bicubic resize written out per output
/// pixel, computing each pixel's weights on the spot (no shared tables). Slow; used by tests.
/// Shares only the pass-order rule (`BicubicResampler.verticalFirst`) and the kernel function.
public enum BicubicResamplerReference {
    /// Resizes `image` to `width x height` exactly as Pillow's `Image.resize(..., BICUBIC)`.
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var current = image
        let bothChange = width != image.width && height != image.height
        if bothChange && BicubicResampler.verticalFirst(fromWidth: image.width, fromHeight: image.height,
                                                        toWidth: width, toHeight: height) {
            current = pass(current, outSize: height, horizontal: false)
            return pass(current, outSize: width, horizontal: true)
        }
        if width != current.width { current = pass(current, outSize: width, horizontal: true) }
        if height != current.height { current = pass(current, outSize: height, horizontal: false) }
        return current
    }

    /// Pillow's fixed-point weights for output index `o` of an `inSize -> outSize` resize.
    static func weights(for o: Int, inSize: Int, outSize: Int) -> (start: Int, weights: [Int]) {
        let scale = Double(inSize) / Double(outSize)
        let filterscale = max(scale, 1.0)
        let support = 2.0 * filterscale
        let center = (Double(o) + 0.5) * scale
        let xmin = max(Int(center - support + 0.5), 0)
        let xmax = min(Int(center + support + 0.5), inSize)
        var w: [Double] = []
        for x in xmin..<xmax {
            w.append(BicubicCoefficients.bicubic((Double(x) - center + 0.5) * (1.0 / filterscale)))
        }
        let sum = w.reduce(0, +)
        let fixed = w.map { v -> Int in
            let n = sum != 0 ? v / sum : v
            let scaled = n * Double(1 << 22)
            return Int(n < 0 ? scaled - 0.5 : scaled + 0.5)
        }
        return (xmin, fixed)
    }

    static func pass(_ image: RGBImage, outSize: Int, horizontal: Bool) -> RGBImage {
        let outW = horizontal ? outSize : image.width
        let outH = horizontal ? image.height : outSize
        var out = [UInt8](repeating: 0, count: outW * outH * 3)
        let inSize = horizontal ? image.width : image.height
        for o in 0..<outSize {
            let (start, w) = weights(for: o, inSize: inSize, outSize: outSize)
            let other = horizontal ? image.height : image.width
            for q in 0..<other {
                for c in 0..<3 {
                    var acc = 1 << 21
                    for (i, wi) in w.enumerated() {
                        let x = horizontal ? start + i : q
                        let y = horizontal ? q : start + i
                        acc += Int(image.pixels[(y * image.width + x) * 3 + c]) * wi
                    }
                    let v = min(max(acc >> 22, 0), 255)
                    let x = horizontal ? o : q, y = horizontal ? q : o
                    out[(y * outW + x) * 3 + c] = UInt8(v)
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
