/// Why an encoded image could not be turned into an `RGBImage`. Every case says what was wrong.
public enum ImageDecodingError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No bytes at all.
    case empty
    /// The bytes start with neither the JPEG nor the PNG signature.
    case unsupportedFormat
    /// The header declares more pixels than allowed (checked before decoding: decompression bombs).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The header declares a zero (or otherwise impossible) width or height.
    case invalidDimensions(width: Int, height: Int)
    /// The data is not a valid image of its format; the text comes from the codec.
    case corrupt(String)
    /// The data ends before the image is complete.
    case truncated(String)
    /// A valid image of a variant that is not supported (e.g. a 12-bit or 2-component JPEG).
    case unsupportedVariant(String)
    /// A safety limit other than the pixel count was hit (e.g. too many progressive scans).
    case limitExceeded(String)
    /// Memory for the decoded image could not be allocated.
    case outOfMemory

    public var description: String {
        switch self {
        case .empty: return "image data is empty"
        case .unsupportedFormat: return "unsupported image format: only JPEG and PNG are accepted"
        case let .tooManyPixels(w, h, limit):
            return "image is too large: \(w)x\(h) = \(w * h) pixels exceeds the limit of \(limit) pixels"
        case let .invalidDimensions(w, h): return "image has invalid dimensions \(w)x\(h)"
        case let .corrupt(m): return "corrupt image data: \(m)"
        case let .truncated(m): return "truncated image data: \(m)"
        case let .unsupportedVariant(m): return "unsupported image: \(m)"
        case let .limitExceeded(m): return "image exceeds a safety limit: \(m)"
        case .outOfMemory: return "out of memory while decoding the image"
        }
    }
}
