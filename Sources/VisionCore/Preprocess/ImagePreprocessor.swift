/// Qwen2.5-VL image preprocessing, bit-exact with transformers 5.24 `Qwen2VLImageProcessorPil` for an
/// RGB8 input: smart_resize (factor `patchSize * mergeSize`) -> Pillow bicubic resize -> rescale and
/// normalise in float32 -> duplicate to `temporalPatchSize` frames -> `pixel_values [N, 1176]` in
/// merge-block order, grid `[1, H/14, W/14]`.
public struct ImagePreprocessor: Sendable {
    public let config: PreprocessorConfig
    /// Threads the resize and patchify phases may use (1 = the calling thread only; results are identical).
    public let threads: Int
    /// Temporal frames written per patch row: `temporalPatchSize` (2, transformers' `pixel_values [N, 1176]`),
    /// or 1 for the `folded` patch embedding of still images (`[N, 588]`: the duplicate frame is never written).
    public let framesPerPatch: Int
    /// The exact normalised float32 value per channel and uint8 value (`[3 * 256]`).
    let table: [Float]

    /// `threads` > 1 splits the resize and patchify rows over that many GCD worker threads; keep 1 where
    /// requests already run in parallel. `framesPerPatch` nil means `config.temporalPatchSize`.
    public init(config: PreprocessorConfig, threads: Int = 1, framesPerPatch: Int? = nil) {
        self.config = config
        self.threads = max(1, threads)
        self.framesPerPatch = max(1, min(framesPerPatch ?? config.temporalPatchSize, config.temporalPatchSize))
        self.table = Patchifier.normalizationTable(config)
    }

    /// The resized `(height, width)` for an image of `height x width` (smart_resize).
    public func targetSize(height: Int, width: Int) throws(PreprocessingError) -> (height: Int, width: Int) {
        do { try config.validate() } catch { throw .invalidConfig(error.description) }
        return try SmartResize.targetSize(height: height, width: width, factor: config.factor,
                                          minPixels: config.minPixels, maxPixels: config.maxPixels)
    }

    /// The `<|image_pad|>` token count of an image of `height x width`, without processing it.
    public func tokenCount(height: Int, width: Int) throws(PreprocessingError) -> Int {
        let (h, w) = try targetSize(height: height, width: width)
        let m = config.mergeSize
        return (h / config.patchSize) * (w / config.patchSize) / (m * m)
    }

    /// Preprocesses a decoded image.
    public func preprocess(_ image: RGBImage) throws(PreprocessingError) -> PreprocessedImage {
        var timing = PreprocessTiming()
        return try preprocess(image, timing: &timing)
    }

    /// Decodes `bytes` (JPEG or PNG, at most `maxDecodedPixels` pixels as declared by the header) and
    /// preprocesses the image; returns the result and the time of each phase.
    public func preprocess(encoded bytes: [UInt8], maxDecodedPixels: Int = ImageDecoder.defaultMaxPixels)
        throws(ImageInputError) -> (image: PreprocessedImage, timing: PreprocessTiming)
    {
        var timing = PreprocessTiming()
        let start = ContinuousClock.now
        let decoded: RGBImage
        do { decoded = try ImageDecoder.decode(bytes, maxPixels: maxDecodedPixels) } catch {
            throw .decoding(error)
        }
        timing.decodeSeconds = Self.seconds(since: start)
        do {
            let result = try preprocess(decoded, timing: &timing)
            return (result, timing)
        } catch {
            throw .preprocessing(error)
        }
    }

    func preprocess(_ image: RGBImage, timing: inout PreprocessTiming) throws(PreprocessingError) -> PreprocessedImage {
        let t0 = ContinuousClock.now
        let (h, w) = try targetSize(height: image.height, width: image.width)
        let resized = BicubicResampler.resize(image, width: w, height: h, threads: threads)
        timing.resizeSeconds = Self.seconds(since: t0)
        let t1 = ContinuousClock.now
        let result = Patchifier.fast(resized, config: config, table: table, threads: threads, frames: framesPerPatch)
        timing.patchifySeconds = Self.seconds(since: t1)
        return result
    }

    /// The reference pipeline (reference resampler and patchifier); slow, for tests.
    public func preprocessReference(_ image: RGBImage) throws(PreprocessingError) -> PreprocessedImage {
        let (h, w) = try targetSize(height: image.height, width: image.width)
        let resized = BicubicResamplerReference.resize(image, width: w, height: h)
        return Patchifier.reference(resized, config: config)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
