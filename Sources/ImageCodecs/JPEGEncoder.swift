import CImageCodecs

/// Why `JPEGEncoder.encode` failed.
public struct JPEGEncodingError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { "JPEG encoding failed: \(message)" }
}

/// Baseline JPEG encoding with libjpeg-turbo (4:2:0 chroma subsampling, standard Huffman tables).
/// Used by vlbench's random-mm dataset and by tests.
public enum JPEGEncoder {
    /// Encodes `image` at `quality` (1...100, clamped; 90 by default). Sides must be 1...65500.
    public static func encode(_ image: RGBImage, quality: Int = 90) throws -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw JPEGEncodingError(message: "cannot encode an empty \(image.width)x\(image.height) image")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var outLen = 0
        var err = [CChar](repeating: 0, count: 256)
        let q = Int32(max(1, min(100, quality)))
        let rc = image.pixels.withUnsafeBufferPointer { px in
            vl_jpeg_encode_rgb(px.baseAddress, Int32(image.width), Int32(image.height), q, &out, &outLen,
                               &err, err.count)
        }
        defer { vl_free(out) }
        guard Int(rc) == VL_OK, let out else {
            let message = err.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw JPEGEncodingError(message: message)
        }
        return Array(UnsafeBufferPointer(start: out, count: outLen))
    }
}
