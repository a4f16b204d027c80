/// Why `JSONParser` rejected a document, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue the current token.
        case unexpectedByte(UInt8)
        /// Bytes that are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, truncated).
        case invalidUTF8
        /// A raw control character (U+0000 to U+001F) inside a string.
        case controlCharacterInString
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\uD800`–`\uDFFF` escape not forming a valid surrogate pair.
        case loneSurrogate
        /// A malformed number literal (leading zeros, missing digits, ...).
        case invalidNumber
        /// Nesting deeper than `JSONLimits.maxDepth`.
        case depthLimitExceeded(Int)
        /// A string longer than `JSONLimits.maxStringBytes`.
        case stringTooLong(Int)
        /// A number literal longer than `JSONLimits.maxNumberBytes`.
        case numberTooLong(Int)
        /// More values than `JSONLimits.maxValues`.
        case tooManyValues(Int)
        /// Non-whitespace bytes after the top-level value.
        case trailingData
    }

    /// Byte offset from the start of the input where the problem was detected.
    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// A sentence for people, e.g. "invalid escape sequence in string at byte 17".
    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedByte(let b):
            if b >= 0x20 && b < 0x7F {
                what = "unexpected character '\(Character(Unicode.Scalar(b)))'"
            } else {
                what = "unexpected byte 0x\(String(b, radix: 16, uppercase: true))"
            }
        case .invalidUTF8: what = "invalid UTF-8"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidEscape: what = "invalid escape sequence in string"
        case .loneSurrogate: what = "lone UTF-16 surrogate in \\u escape"
        case .invalidNumber: what = "invalid number"
        case .depthLimitExceeded(let n): what = "nesting deeper than \(n) levels"
        case .stringTooLong(let n): what = "string longer than \(n) bytes"
        case .numberTooLong(let n): what = "number literal longer than \(n) bytes"
        case .tooManyValues(let n): what = "more than \(n) values"
        case .trailingData: what = "unexpected data after the JSON value"
        }
        return "\(what) at byte \(offset)"
    }
}
