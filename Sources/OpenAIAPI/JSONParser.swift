/// Strict RFC 8259 JSON parser for request bodies.
///
/// - Validates UTF-8 everywhere (inside strings; any non-ASCII byte outside a string is an error),
///   rejects lone surrogates in `\u` escapes, raw control characters in strings, leading zeros,
///   trailing commas, comments, NaN/Infinity literals and trailing data.
/// - Enforces `JSONLimits` (depth, string and number size, value count) so hostile input cannot
///   overflow the stack or amplify memory. Recursion depth is bounded by `maxDepth`.
/// - Errors carry the byte offset and the reason (`JSONParseError`).
/// - Strings are scanned 8 bytes at a time (SWAR); `wordScan: false` selects the byte-at-a-time
///   reference scanner, which tests compare against.
public struct JSONParser {
    /// Parses one JSON document from `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default)
        throws(JSONParseError) -> JSONValue
    {
        try parse(bytes, limits: limits, wordScan: true)
    }

    /// Parses one JSON document from `bytes`.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { return .success(try parse(raw, limits: limits, wordScan: true)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses the UTF-8 bytes of `text` (convenience for tests and tools).
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses with the scanner chosen explicitly (`wordScan: false` = naive reference scanner).
    static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits, wordScan: Bool)
        throws(JSONParseError) -> JSONValue
    {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(offset: 0, reason: .unexpectedEnd)
        }
        var scanner = JSONScanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
                                  limits: limits, wordScan: wordScan)
        return try scanner.parseDocument()
    }
}
