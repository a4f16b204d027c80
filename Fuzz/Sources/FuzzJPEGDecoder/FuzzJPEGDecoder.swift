import ImageCodecs

/// libFuzzer entry for the JPEG path of `ImageDecoder`: the input is forced to start with the JPEG SOI
/// marker (FF D8) so every execution reaches libjpeg-turbo through the shim. A 0.26-megapixel limit makes
/// bombs fail at the header, so the time goes into the decoder proper.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: [0xFF, 0xD8]) { bytes.insert(contentsOf: [0xFF, 0xD8], at: 0) }
    _ = try? ImageDecoder.decode(bytes, maxPixels: 262_144)
    return 0
}
