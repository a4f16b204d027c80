/// Why an decoded image could not be preprocessed. Every case says what was wrong.
public enum PreprocessingError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `max(h, w) / min(h, w) > 200` (transformers' smart_resize raises the same).
    case aspectRatioTooLarge(height: Int, width: Int, ratio: Double)
    /// A side is zero or negative.
    case invalidDimensions(height: Int, width: Int)
    /// smart_resize produced a size that is not a positive multiple of the factor (only possible with
    /// unusual min/max pixel settings).
    case invalidTargetSize(height: Int, width: Int, factor: Int)
    /// The configuration cannot be used (see `PreprocessorConfig.validate()`).
    case invalidConfig(String)

    public var description: String {
        switch self {
        case let .aspectRatioTooLarge(h, w, r):
            return "absolute aspect ratio must be smaller than 200, got \(r) (image is \(w)x\(h))"
        case let .invalidDimensions(h, w): return "image has invalid dimensions \(w)x\(h)"
        case let .invalidTargetSize(h, w, f):
            return "resize target \(w)x\(h) is not a positive multiple of \(f); check min_pixels/max_pixels"
        case let .invalidConfig(m): return "invalid preprocessor config: \(m)"
        }
    }
}
