/// What an image's header declares, read before any pixel data is decoded.
public struct ImageHeader: Sendable, Equatable {
    public let format: ImageFormat
    /// Declared width in pixels.
    public let width: Int
    /// Declared height in pixels.
    public let height: Int

    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// `width * height`.
    public var pixelCount: Int { width * height }
}
