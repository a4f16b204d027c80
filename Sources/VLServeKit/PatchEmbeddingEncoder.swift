import Engine
import VisionCore

/// The engine's `VisionEncoder` on VisionCore's `PatchEmbedding` (Qwen2.5-VL `patch_embed`): one GEMM (or
/// convolution) per image, straight on that image's `pixel_values` rows, so no pixels are copied into a step
/// batch buffer. With `.folded` the images hold one frame per patch (`[N, 588]`, from
/// `ImagePreprocessor(framesPerPatch: 1)`; see `framesPerPatch`). Used only on the engine thread.
public final class PatchEmbeddingEncoder: VisionEncoder {
    public let embedding: PatchEmbedding
    public let implementation: Conv3dImplementation

    public init(embedding: PatchEmbedding, implementation: Conv3dImplementation) {
        self.embedding = embedding
        self.implementation = implementation
    }

    /// `encoder` (patch-embed), `conv_impl`, `gemm_backend` and `dtype`.
    public var metricLabels: [(String, String)] {
        [("encoder", "patch-embed"), ("conv_impl", implementation.rawValue), ("gemm_backend", embedding.conv.gemm.backend.rawValue),
         ("dtype", embedding.conv.gemm.dtype.rawValue)]
    }

    /// What runs for a 1280×720 image (4784 patches), e.g. `gemm: onednn brg:avx512_core_bf16`.
    public var kernelName: String { embedding.kernelName(implementation, rows: 4784) }

    /// Temporal frames per patch row the preprocessor must write for this encoder: 1 for `.folded`, else 2.
    public var framesPerPatch: Int? { implementation == .folded ? 1 : nil }

    public func encode(_ images: [EngineImage]) throws -> [EncodedImage] {
        try images.map { image in
            let values = implementation == .folded
                ? try embedding.embedStill(frames: image.pixelValues, rows: image.patchCount)
                : try embedding.embed(pixelValues: image.pixelValues, rows: image.patchCount, implementation: implementation)
            return EncodedImage(rows: image.patchCount, width: embedding.hiddenSize, values: values)
        }
    }
}
