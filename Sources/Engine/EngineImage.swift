/// An image ready for the engine: Qwen2.5-VL `pixel_values` rows and its grid, or its encoder output when the
/// server had it already (an image-cache hit).
public struct EngineImage: Sendable {
    /// `[patchCount, 1176]` row-major (qwen-vision.md §1.8 order), or `[patchCount, 588]` (one temporal frame
    /// per patch) for an encoder that folds a still image's frames. Empty when `encoded` is set.
    public var pixelValues: [Float]
    public var gridT: Int
    public var gridH: Int
    public var gridW: Int
    /// The encoder's output for this image, computed earlier (`VisionEncoder.encode` of the same pixels under the
    /// same encoder): the engine does not encode the image again and charges no patches or encoder time for it.
    public var encoded: EncodedImage?
    /// Called on the engine thread with the image's encoder output right after the engine computed it (the server's
    /// image cache keeps it). Must not block.
    public var onEncoded: (@Sendable (EncodedImage) -> Void)?

    public init(pixelValues: [Float], gridT: Int, gridH: Int, gridW: Int, encoded: EncodedImage? = nil,
                onEncoded: (@Sendable (EncodedImage) -> Void)? = nil) {
        self.pixelValues = pixelValues
        self.gridT = gridT
        self.gridH = gridH
        self.gridW = gridW
        self.encoded = encoded
        self.onEncoded = onEncoded
    }

    /// Rows of `pixelValues`: `gridT × gridH × gridW`.
    public var patchCount: Int { gridT * gridH * gridW }
    /// `<|image_pad|>` tokens in the prompt: `patchCount / 4` (merge size 2).
    public var tokenCount: Int { patchCount / 4 }
}
