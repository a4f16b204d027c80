/// The output of `ImagePreprocessor` for one image: what transformers returns as `pixel_values` and
/// `image_grid_thw`.
public struct PreprocessedImage: Sendable, Equatable {
    /// `[N, D]` row-major float32, `N = gridT * gridH * gridW`, `D = 3 * temporalPatchSize * patchSize^2`
    /// (1176). Rows are in 2x2-merge-block order (qwen-vision.md §1.8).
    public var pixelValues: [Float]
    /// Temporal grid (1 for a still image).
    public let gridT: Int
    /// Patch rows: resized height / patchSize.
    public let gridH: Int
    /// Patch columns: resized width / patchSize.
    public let gridW: Int
    /// Spatial merge size (2).
    public let mergeSize: Int
    /// Values per row (1176).
    public let patchDimension: Int

    public init(pixelValues: [Float], gridT: Int, gridH: Int, gridW: Int, mergeSize: Int, patchDimension: Int) {
        precondition(pixelValues.count == gridT * gridH * gridW * patchDimension, "PreprocessedImage: size mismatch")
        self.pixelValues = pixelValues
        self.gridT = gridT
        self.gridH = gridH
        self.gridW = gridW
        self.mergeSize = mergeSize
        self.patchDimension = patchDimension
    }

    /// Rows of `pixelValues` (N).
    public var patchCount: Int { gridT * gridH * gridW }
    /// `<|image_pad|>` tokens this image expands to: `patchCount / mergeSize^2`.
    public var tokenCount: Int { patchCount / (mergeSize * mergeSize) }
    /// `image_grid_thw` row: `[gridT, gridH, gridW]`.
    public var gridTHW: [Int] { [gridT, gridH, gridW] }
}
