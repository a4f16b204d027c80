/// Why encoded image bytes could not be turned into `pixel_values`: a decoding or a preprocessing error.
public enum ImageInputError: Error, Sendable, CustomStringConvertible, Equatable {
    case decoding(ImageDecodingError)
    case preprocessing(PreprocessingError)

    public var description: String {
        switch self {
        case let .decoding(e): return e.description
        case let .preprocessing(e): return e.description
        }
    }
}
