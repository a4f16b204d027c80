import Engine
import VisionCore

/// Adapts VisionCore's `PatchEmbedding` (Qwen2.5-VL `patch_embed`, one GEMM over all rows with
/// `gemm`/`auto`) to the engine's `PatchEmbedder`. Used only on the engine thread.
public final class VisionPatchEmbedder: PatchEmbedder {
    public let embedding: PatchEmbedding
    public let implementation: Conv3dImplementation

    public init(embedding: PatchEmbedding, implementation: Conv3dImplementation) {
        self.embedding = embedding
        self.implementation = implementation
    }

    public var implementationName: String { implementation.rawValue }
    public var inputWidth: Int { embedding.inputSize }

    public func embed(pixelValues: [Float], rows: Int) throws -> [Float] {
        try embedding.embed(pixelValues: pixelValues, rows: rows, implementation: implementation)
    }
}
