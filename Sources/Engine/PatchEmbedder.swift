/// The vision work the engine runs on its thread: Qwen2.5-VL's Conv3d patch embedding
/// (`Qwen2_5_VisionPatchEmbed.forward`) over a batch of patch rows.
/// VLServeKit adapts VisionCore's `PatchEmbedding` to it; tests use a fake.
public protocol PatchEmbedder: AnyObject {
    /// Name of the convolution implementation, used as the `conv_impl` metric label.
    var implementationName: String { get }
    /// Floats per input row (1176 = 3 × 2 × 14 × 14).
    var inputWidth: Int { get }
    /// Embeds `rows` patches. `pixelValues`: `[rows, inputWidth]` row-major; returns `[rows, hidden]`.
    /// Called only on the engine thread.
    func embed(pixelValues: [Float], rows: Int) throws -> [Float]
}

/// An image ready for the engine: Qwen2.5-VL `pixel_values` rows and its grid.
public struct EngineImage: Sendable {
    /// `[patchCount, 1176]` row-major (qwen-vision.md §1.8 order).
    public var pixelValues: [Float]
    public var gridT: Int
    public var gridH: Int
    public var gridW: Int

    public init(pixelValues: [Float], gridT: Int, gridH: Int, gridW: Int) {
        self.pixelValues = pixelValues
        self.gridT = gridT
        self.gridH = gridH
        self.gridW = gridW
    }

    /// Rows of `pixelValues`: `gridT × gridH × gridW`.
    public var patchCount: Int { gridT * gridH * gridW }
    /// `<|image_pad|>` tokens in the prompt: `patchCount / 4` (merge size 2).
    public var tokenCount: Int { patchCount / 4 }
}
