import ImageCodecs

/// libFuzzer entry for the PNG path of `ImageDecoder`: the input is forced to start with the 8-byte PNG
/// signature so every execution reaches libspng through the shim. A 0.26-megapixel limit makes bombs fail at
/// the header, so the time goes into the decoder proper.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: signature) { bytes.insert(contentsOf: signature, at: 0) }
    _ = try? ImageDecoder.decode(bytes, maxPixels: 262_144)
    return 0
}
