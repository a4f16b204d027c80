import CImageCodecs

/// Rescale + normalise + temporal duplication + patchify of a resized RGB8 image into `pixel_values`,
/// as transformers 5.24 `Qwen2VLImageProcessorPil` does:
///
/// - value: `x32 = Float(Double(u8) * rescaleFactor)`, then `(x32 - Float(mean[c])) / Float(std[c])` in
///   float32 (`image_transforms.rescale` then `normalize`);
/// - order: row `r` -> block-major patch `(h, w)` (2x2 merge blocks), column `((c*T + t)*P + i)*P + j`;
///   all `T` frames identical (qwen-vision.md §1.7-1.8).
///
/// `fast` uses a 3x256 lookup table of the exact float32 values and copies each frame, in C with
/// non-temporal stores (`useC`, CImageCodecs/vl_patchify.c) or in Swift; `reference` computes every value
/// from the formula through a CHW float image and the closed-form index mapping.
public enum Patchifier {
    /// The exact normalised float32 value of every uint8 per channel: `[3 * 256]`, index `c * 256 + v`.
    public static func normalizationTable(_ config: PreprocessorConfig) -> [Float] {
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for v in 0..<256 { table[c * 256 + v] = normalize(UInt8(v), channel: c, config) }
        }
        return table
    }

    /// One value, straight from the formula.
    @inlinable public static func normalize(_ v: UInt8, channel c: Int, _ config: PreprocessorConfig) -> Float {
        let rescaled = Float(Double(v) * config.rescaleFactor)
        return (rescaled - Float(config.imageMeanDouble[c])) / Float(config.imageStdDouble[c])
    }

    /// Grid of a resized image: `(gridH, gridW)` = `(height / P, width / P)`; sides must be multiples of
    /// `P * mergeSize`.
    static func grid(_ image: RGBImage, _ config: PreprocessorConfig) -> (gh: Int, gw: Int) {
        let f = config.factor
        precondition(image.height % f == 0 && image.width % f == 0 && image.height > 0 && image.width > 0,
                     "Patchifier: \(image.width)x\(image.height) is not a multiple of \(f)")
        return (image.height / config.patchSize, image.width / config.patchSize)
    }

    /// Fast path: `pixel_values [gh*gw, D]` from a resized image. `frames` (default `temporalPatchSize`)
    /// is how many of the identical temporal frames each row holds: 1 gives `[N, 3*P*P]` for the folded
    /// still-image patch embedding.
    public static func fast(_ image: RGBImage, config: PreprocessorConfig,
                            table: [Float]? = nil, useC: Bool = true, threads: Int = 1, frames: Int? = nil) -> PreprocessedImage {
        let (gh, gw) = grid(image, config)
        let P = config.patchSize, T = max(1, frames ?? config.temporalPatchSize), M = config.mergeSize
        let D = 3 * T * P * P
        let n = gh * gw
        let lut = table ?? normalizationTable(config)
        let width = image.width
        let frame = P * P
        if useC && P <= 64 {
            let values = [Float](unsafeUninitializedCapacity: n * D) { out, initialized in
                image.pixels.withUnsafeBufferPointer { px in
                    lut.withUnsafeBufferPointer { l in
                        let o = out.baseAddress!
                        ParallelRows.run(n, threads: threads) { part in
                            vl_patchify_rgb8(px.baseAddress!, Int32(width), Int32(gh), Int32(gw), Int32(P), Int32(T),
                                             Int32(M), l.baseAddress!, o, Int32(part.lowerBound), Int32(part.upperBound))
                        }
                    }
                }
                initialized = n * D
            }
            return PreprocessedImage(pixelValues: values, gridT: 1, gridH: gh, gridW: gw, mergeSize: M, patchDimension: D)
        }
        let values = [Float](unsafeUninitializedCapacity: n * D) { out, initialized in
            image.pixels.withUnsafeBufferPointer { px in
                lut.withUnsafeBufferPointer { lutBuf in
                    let src = px.baseAddress!, dst0 = out.baseAddress!, l = lutBuf.baseAddress!
                    let blocksW = gw / M
                    for r in 0..<n {
                        let blk = r / (M * M), q = r % (M * M)
                        let h = (blk / blocksW) * M + q / M
                        let w = (blk % blocksW) * M + q % M
                        let rowBase = dst0 + r * D
                        let pixelBase = src + ((h * P) * width + w * P) * 3
                        for c in 0..<3 {
                            let lc = l + c * 256
                            let firstFrame = rowBase + c * T * frame
                            for i in 0..<P {
                                let s = pixelBase + i * width * 3 + c
                                let d = firstFrame + i * P
                                for j in 0..<P { d[j] = lc[Int(s[3 * j])] }
                            }
                            for t in 1..<max(T, 1) {
                                (firstFrame + t * frame).update(from: firstFrame, count: frame)
                            }
                        }
                    }
                }
            }
            initialized = n * D
        }
        return PreprocessedImage(pixelValues: values, gridT: 1, gridH: gh, gridW: gw, mergeSize: M, patchDimension: D)
    }

    /// Reference path: CHW float image, explicit frames, closed-form index of qwen-vision.md §1.8.
    public static func reference(_ image: RGBImage, config: PreprocessorConfig) -> PreprocessedImage {
        let (gh, gw) = grid(image, config)
        let P = config.patchSize, T = config.temporalPatchSize, M = config.mergeSize
        let H = image.height, W = image.width
        var chw = [Float](repeating: 0, count: 3 * H * W)
        for y in 0..<H {
            for x in 0..<W {
                for c in 0..<3 {
                    chw[(c * H + y) * W + x] = normalize(image.pixels[(y * W + x) * 3 + c], channel: c, config)
                }
            }
        }
        // Frames F[tf][c][y][x]: T copies of the one frame (grid_t = 1).
        let D = 3 * T * P * P
        let n = gh * gw
        var values = [Float](repeating: .nan, count: n * D)
        for r in 0..<n {
            let tg = r / (gh * gw), s = r % (gh * gw)
            precondition(tg == 0)
            let blk = s / (M * M), q = s % (M * M)
            let bh = blk / (gw / M), bw = blk % (gw / M)
            let h = M * bh + q / M, w = M * bw + q % M
            for c in 0..<3 {
                for t in 0..<T {
                    for i in 0..<P {
                        for j in 0..<P {
                            let k = ((c * T + t) * P + i) * P + j
                            values[r * D + k] = chw[(c * H + P * h + i) * W + P * w + j]
                        }
                    }
                }
            }
        }
        return PreprocessedImage(pixelValues: values, gridT: 1, gridH: gh, gridW: gw, mergeSize: M, patchDimension: D)
    }
}
