import CImageCodecs

/// Decodes JPEG and PNG bytes into `RGBImage` (RGB8) with the same pixels Pillow 13 produces followed by
/// transformers 5.x `convert_to_rgb` (the input of `Qwen2VLImageProcessorPil`).
///
/// - JPEG (libjpeg-turbo): baseline, progressive, grayscale (replicated), 3-component YCbCr/RGB, and
///   4-component CMYK/YCCK, always read as Adobe-inverted and converted with Pillow's `cmyk2rgb`.
///   Premature end of data is `.truncated` (Pillow: "image file is truncated"); other libjpeg warnings
///   are ignored, as in Pillow. At most `maxProgressiveScans` scans per progressive image.
/// - PNG (libspng): bit depths 1/2/4/8/16, gray, gray+alpha, palette (with tRNS), RGB, RGBA, interlaced.
///   16-bit samples keep their high byte (libpng strip-16; see shared/docs/README.md). Alpha and tRNS
///   are composited onto white with Pillow's `alpha_composite` integer arithmetic. A colour-key tRNS on
///   gray (1/2/4/8-bit) and RGB (8/16-bit) images is matched the way Pillow 13 does it: the raw tRNS number
///   against the decoded 8-bit pixel (so a 2-bit gray key 1 matches nothing, a 16-bit RGB key matches
///   high bytes); 16-bit gray keys are compared at 16 bits. Palette indices beyond the PLTE are black.
/// - No EXIF orientation is applied (transformers' processor does not apply it either for an
///   already-opened image); no gamma or ICC colour management (Pillow does neither by default).
/// - The pixel limit is checked from the header before any pixel memory is allocated.
public enum ImageDecoder {
    /// Default decoded-pixel limit: 89,478,485 pixels, Pillow's `Image.MAX_IMAGE_PIXELS`
    /// (its DecompressionBombWarning threshold; Pillow raises at twice that). About 268 MB as RGB8.
    public static let defaultMaxPixels = 89_478_485

    /// A progressive JPEG with more scans than this is rejected (normal files have about 10).
    public static let maxProgressiveScans: Int32 = 1000

    /// Sniffs the format from the magic bytes and reads the declared size without decoding pixels.
    public static func readHeader(_ bytes: UnsafeRawBufferPointer) throws(ImageDecodingError) -> ImageHeader {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .empty }
        guard let format = ImageFormat.sniff(bytes) else { throw .unsupportedFormat }
        let data = base.assumingMemoryBound(to: UInt8.self)
        var err = [CChar](repeating: 0, count: 256)
        switch format {
        case .jpeg:
            var info = vl_jpeg_info()
            let rc = vl_jpeg_read_header(data, bytes.count, &info, &err, err.count)
            if Int(rc) == VL_ERR_DIMENSIONS { throw .invalidDimensions(width: Int(info.width), height: Int(info.height)) }
            if Int(rc) != VL_OK { throw mapError(rc, err) }
            return ImageHeader(format: .jpeg, width: Int(info.width), height: Int(info.height))
        case .png:
            var info = vl_png_info()
            let rc = vl_png_read_header(data, bytes.count, &info, &err, err.count)
            if Int(rc) == VL_ERR_DIMENSIONS { throw .invalidDimensions(width: Int(info.width), height: Int(info.height)) }
            if Int(rc) != VL_OK { throw mapError(rc, err) }
            return ImageHeader(format: .png, width: Int(info.width), height: Int(info.height))
        }
    }

    /// Reads the header of `bytes`; see `readHeader(_: UnsafeRawBufferPointer)`.
    public static func readHeader(_ bytes: [UInt8]) throws(ImageDecodingError) -> ImageHeader {
        try withRaw(bytes) { (raw) throws(ImageDecodingError) in try readHeader(raw) }
    }

    /// Decodes `bytes` (JPEG or PNG) into RGB8. The declared size is checked against `maxPixels`
    /// (and for zero sides) before decoding.
    public static func decode(_ bytes: [UInt8], maxPixels: Int = ImageDecoder.defaultMaxPixels)
        throws(ImageDecodingError) -> RGBImage
    {
        try withRaw(bytes) { (raw) throws(ImageDecodingError) in try decode(raw, maxPixels: maxPixels) }
    }

    /// Decodes from a raw buffer (no copy of the encoded bytes); see `decode(_:maxPixels:)`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, maxPixels: Int = ImageDecoder.defaultMaxPixels)
        throws(ImageDecodingError) -> RGBImage
    {
        let header = try readHeader(bytes)
        guard header.width > 0, header.height > 0 else {
            throw .invalidDimensions(width: header.width, height: header.height)
        }
        let (count, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, count <= maxPixels else {
            throw .tooManyPixels(width: header.width, height: header.height, limit: maxPixels)
        }
        let data = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var err = [CChar](repeating: 0, count: 256)
        var rc = Int32(VL_OK)
        let pixels = [UInt8](unsafeUninitializedCapacity: count * 3) { buffer, initialized in
            switch header.format {
            case .jpeg:
                rc = vl_jpeg_decode_rgb(data, bytes.count, buffer.baseAddress, count * 3, maxProgressiveScans,
                                        &err, err.count)
            case .png:
                rc = vl_png_decode_rgb(data, bytes.count, buffer.baseAddress, count * 3, &err, err.count)
            }
            if Int(rc) == VL_OK {
                initialized = count * 3
            } else {
                // Never expose uninitialised bytes: zero the buffer before handing it back.
                buffer.initialize(repeating: 0)
                initialized = count * 3
            }
        }
        if Int(rc) != VL_OK { throw mapError(rc, err) }
        return RGBImage(width: header.width, height: header.height, pixels: pixels)
    }

    private static func withRaw<T>(_ bytes: [UInt8],
                                   _ body: (UnsafeRawBufferPointer) throws(ImageDecodingError) -> T)
        throws(ImageDecodingError) -> T
    {
        let result: Result<T, ImageDecodingError> = bytes.withUnsafeBytes { raw in
            do throws(ImageDecodingError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func mapError(_ rc: Int32, _ err: [CChar]) -> ImageDecodingError {
        let message = err.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch Int(rc) {
        case VL_ERR_TRUNCATED: return message == "empty JPEG data" || message == "empty PNG data"
            ? .empty : .truncated(message)
        case VL_ERR_UNSUPPORTED: return .unsupportedVariant(message)
        case VL_ERR_NOMEM: return .outOfMemory
        case VL_ERR_LIMIT: return .limitExceeded(message)
        default: return .corrupt(message)
        }
    }
}
