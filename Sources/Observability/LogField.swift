/// One `key=value` field of a structured log line (logfmt style).
///
/// The value is written bare when it is a non-empty run of `[A-Za-z0-9._:/@+-]`; anything else
/// (spaces, quotes, `=`, control characters, non-ASCII) is written in double quotes with `\"`, `\\`,
/// `\n`, `\r`, `\t` and `\u{XX}` escapes. A client-controlled value (a request id, a path, a model
/// name) therefore always stays inside its own field of its own line: it can neither end the line nor
/// pose as another field.
public struct LogField: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: some BinaryInteger) {
        self.init(key, String(value))
    }

    /// `key=value` or `key="escaped value"`.
    public var rendered: String {
        LogField.isBare(value) ? "\(key)=\(value)" : "\(key)=\"\(LogField.escaped(value, quotes: true))\""
    }

    static func isBare(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        return value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                 UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// `text` with control characters (U+0000–U+001F, U+007F, and the line/paragraph separators
    /// U+0085, U+2028, U+2029) escaped, and with `quotes` also `"` and `\`.
    static func escaped(_ text: String, quotes: Bool) -> String {
        var needs = false
        for scalar in text.unicodeScalars where LogField.isControl(scalar) || (quotes && (scalar == "\"" || scalar == "\\")) {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"" where quotes: out += "\\\""
            case "\\" where quotes: out += "\\\\"
            default:
                if LogField.isControl(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u{" + hex + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
