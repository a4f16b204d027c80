/// Qwen2.5-VL's patch embedding (`Qwen2_5_VisionPatchEmbed`): `Conv3d(in_chans, hidden, kernel=stride=
/// [temporal_patch_size, patch_size, patch_size], bias=False)` applied to `pixel_values [N, 1176]` viewed as
/// `[N, 3, 2, 14, 14]`; the `[N, 1280, 1, 1, 1]` result is returned as `[N, 1280]` row-major.
/// With `.gemm`/`.auto` this is one GEMM against the weight viewed as `[1280, 1176]` (spec §3), on the
/// backend and dtype of `gemm`; `.folded` is one GEMM of a still image's single frame `[N, 588]` against the
/// weight summed over its temporal axis `[1280, 588]`, prepared on the first `.folded` call.
public struct PatchEmbedding: Sendable {
    /// Output width per patch (`vision_config.hidden_size`, 1280).
    public let hiddenSize: Int
    /// Input width per patch: `in_chans * temporal_patch_size * patch_size²` (1176).
    public let inputSize: Int
    /// Input width per patch of one frame: `in_chans * patch_size²` (588), what `.folded` reads.
    public let frameSize: Int
    public let conv: Conv3d
    /// `[hidden, in_chans·p·p]`: Σ_t weight[:, :, t] for `.folded`, prepared on its first use.
    let folded: FoldedPatchWeights

    /// `weight` is `visual.patch_embed.proj.weight` as F32, `[hidden, in_chans, kT, p, p]` row-major.
    public init(config: VisionConfig, weight: [Float], gemm: GemmConfiguration = .openblasFloat32) throws(Conv3dError) {
        let geometry = Conv3dGeometry.qwenPatchEmbed(inChannels: config.inChannels, hiddenSize: config.hiddenSize,
                                                     temporalPatchSize: config.temporalPatchSize,
                                                     patchSize: config.patchSize)
        conv = try Conv3d(geometry: geometry, weight: weight, bias: nil, gemm: gemm)
        hiddenSize = config.hiddenSize
        inputSize = geometry.kernelVolume
        frameSize = config.inChannels * config.patchSize * config.patchSize
        folded = FoldedPatchWeights(weight: conv.weight, hiddenSize: config.hiddenSize, inChannels: config.inChannels,
                                    temporalPatchSize: config.temporalPatchSize, patchSize: config.patchSize, gemm: gemm)
    }

    /// Embeds `rows` patches: `pixelValues` is `[rows, inputSize]` row-major; returns `[rows, hiddenSize]`.
    /// `.folded` first gathers each row's first frame, checking that every frame equals it.
    public func embed(pixelValues: UnsafeBufferPointer<Float>, rows: Int,
                      implementation: Conv3dImplementation = .auto) throws(Conv3dError) -> [Float] {
        guard rows >= 0, pixelValues.count == rows * inputSize else {
            throw .inputShape("pixel_values has \(pixelValues.count) elements, expected \(rows) rows x \(inputSize)")
        }
        if rows == 0 { return [] }
        if implementation == .folded {
            let frames = try Self.firstFrames(pixelValues, rows: rows, frameSize: frameSize, inputSize: inputSize,
                                              channels: conv.geometry.inChannels)
            return try frames.withUnsafeBufferPointer { buffer throws(Conv3dError) in
                try embedStill(frames: buffer, rows: rows)
            }
        }
        let k = conv.geometry.kernel
        return try conv.forward(pixelValues, batch: rows, depth: k.t, height: k.h, width: k.w,
                                implementation: implementation).output
    }

    /// The folded still-image embedding: `frames` is `[rows, frameSize]` (one temporal frame per patch, as
    /// `ImagePreprocessor(framesPerPatch: 1)` writes it); returns `[rows, hiddenSize]`.
    public func embedStill(frames: UnsafeBufferPointer<Float>, rows: Int) throws(Conv3dError) -> [Float] {
        guard rows >= 0, frames.count == rows * frameSize else {
            throw .inputShape("still-image frames have \(frames.count) elements, expected \(rows) rows x \(frameSize)")
        }
        if rows == 0 { return [] }
        let linear: Linear
        do throws(GemmError) {
            linear = try folded.prepared()
        } catch {
            throw .backend(error.description)
        }
        var failure: GemmError?
        let output = [Float](unsafeUninitializedCapacity: rows * hiddenSize) { buffer, initialized in
            do throws(GemmError) {
                try linear.forward(frames.baseAddress!, rows: rows, into: buffer.baseAddress!)
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
            }
            initialized = rows * hiddenSize
        }
        if let failure { throw .backend(failure.description) }
        return output
    }

    /// Each row's frame 0 (`[rows, channels·p·p]`), or `.foldedNotApplicable` if another frame differs.
    static func firstFrames(_ pixels: UnsafeBufferPointer<Float>, rows: Int, frameSize: Int, inputSize: Int,
                            channels: Int) throws(Conv3dError) -> [Float] {
        let plane = frameSize / channels
        let t = inputSize / frameSize
        var out = [Float](repeating: 0, count: rows * frameSize)
        for r in 0..<rows {
            for c in 0..<channels {
                let src = r * inputSize + c * t * plane
                for i in 0..<plane {
                    let v = pixels[src + i]
                    for f in 1..<max(t, 1) where pixels[src + f * plane + i] != v {
                        throw .foldedNotApplicable(reason: "row \(r) has different temporal frames (not a still image)")
                    }
                    out[r * frameSize + c * plane + i] = v
                }
            }
        }
        return out
    }

    /// What `implementation` runs for `rows` patches, e.g. `gemm: onednn brg:avx512_core_bf16`.
    public func kernelName(_ implementation: Conv3dImplementation, rows: Int) -> String {
        if implementation == .folded {
            do throws(GemmError) {
                return "folded: " + (try folded.prepared()).kernelName(rows: max(1, rows))
            } catch {
                return "folded: unavailable (\(error))"
            }
        }
        let k = conv.geometry.kernel
        return conv.kernelName(implementation, batch: rows, depth: k.t, height: k.h, width: k.w)
    }

    /// Array convenience for `embed(pixelValues:rows:implementation:)`.
    public func embed(pixelValues: [Float], rows: Int,
                      implementation: Conv3dImplementation = .auto) throws(Conv3dError) -> [Float] {
        let result: Result<[Float], Conv3dError> = pixelValues.withUnsafeBufferPointer { buffer in
            Result { () throws(Conv3dError) in try embed(pixelValues: buffer, rows: rows, implementation: implementation) }
        }
        return try result.get()
    }

    /// Array convenience for `embedStill(frames:rows:)`.
    public func embedStill(frames: [Float], rows: Int) throws(Conv3dError) -> [Float] {
        let result: Result<[Float], Conv3dError> = frames.withUnsafeBufferPointer { buffer in
            Result { () throws(Conv3dError) in try embedStill(frames: buffer, rows: rows) }
        }
        return try result.get()
    }
}
