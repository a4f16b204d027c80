import HTTPCore

/// libFuzzer entry: feeds the input to `HTTPRequestParser` in two pieces (split at a point derived from the
/// first byte, so split handling is fuzzed too) and drains every event until an error or the end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var parser = HTTPRequestParser()
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    for part in [bytes[..<split], bytes[split...]] {
        parser.feed(UnsafeRawBufferPointer(rebasing: part))
        do {
            while try parser.next() != nil {}
        } catch {
            return 0
        }
    }
    return 0
}
