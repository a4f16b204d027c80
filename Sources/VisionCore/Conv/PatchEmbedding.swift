/// Qwen2.5-VL's patch embedding (`Qwen2_5_VisionPatchEmbed`): `Conv3d(in_chans, hidden, kernel=stride=
/// [temporal_patch_size, patch_size, patch_size], bias=False)` applied to `pixel_values [N, 1176]` viewed as
/// `[N, 3, 2, 14, 14]`; the `[N, 1280, 1, 1, 1]` result is returned as `[N, 1280]` row-major.
/// With `.gemm`/`.auto` this is one GEMM against the weight viewed as `[1280, 1176]` (spec §3), on the
/// backend and dtype of `gemm`.
public struct PatchEmbedding: Sendable {
    /// Output width per patch (`vision_config.hidden_size`, 1280).
    public let hiddenSize: Int
    /// Input width per patch: `in_chans * temporal_patch_size * patch_size²` (1176).
    public let inputSize: Int
    public let conv: Conv3d

    /// `weight` is `visual.patch_embed.proj.weight` as F32, `[hidden, in_chans, kT, p, p]` row-major.
    public init(config: VisionConfig, weight: [Float], gemm: GemmConfiguration = .openblasFloat32) throws(Conv3dError) {
        let geometry = Conv3dGeometry.qwenPatchEmbed(inChannels: config.inChannels, hiddenSize: config.hiddenSize,
                                                     temporalPatchSize: config.temporalPatchSize,
                                                     patchSize: config.patchSize)
        conv = try Conv3d(geometry: geometry, weight: weight, bias: nil, gemm: gemm)
        hiddenSize = config.hiddenSize
        inputSize = geometry.kernelVolume
    }

    /// Embeds `rows` patches: `pixelValues` is `[rows, inputSize]` row-major; returns `[rows, hiddenSize]`.
    public func embed(pixelValues: UnsafeBufferPointer<Float>, rows: Int,
                      implementation: Conv3dImplementation = .auto) throws(Conv3dError) -> [Float] {
        guard rows >= 0, pixelValues.count == rows * inputSize else {
            throw .inputShape("pixel_values has \(pixelValues.count) elements, expected \(rows) rows x \(inputSize)")
        }
        if rows == 0 { return [] }
        let k = conv.geometry.kernel
        return try conv.forward(pixelValues, batch: rows, depth: k.t, height: k.h, width: k.w,
                                implementation: implementation).output
    }

    /// What `implementation` runs for `rows` patches, e.g. `gemm: onednn brg:avx512_core_bf16`.
    public func kernelName(_ implementation: Conv3dImplementation, rows: Int) -> String {
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
}
