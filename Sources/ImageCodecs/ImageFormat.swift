/// Container format of an encoded image, identified by its magic bytes.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// JPEG/JFIF: starts with `FF D8 FF`.
    case jpeg
    /// PNG: starts with `89 50 4E 47 0D 0A 1A 0A`.
    case png

    /// The format whose signature starts `bytes`, or nil.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 8, zip(bytes.prefix(8), png).allSatisfy({ $0 == $1 }) { return .png }
        return nil
    }

    /// The IANA media type (`image/jpeg`, `image/png`).
    public var mimeType: String { "image/\(rawValue)" }
}
