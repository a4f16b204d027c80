/// An image ready for the engine: Qwen2.5-VL `pixel_values` rows and its grid.
public struct EngineImage: Sendable {
    /// `[patchCount, 1176]` row-major (qwen-vision.md §1.8 order), or `[patchCount, 588]` (one temporal frame
    /// per patch) for an encoder that folds a still image's frames.
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
