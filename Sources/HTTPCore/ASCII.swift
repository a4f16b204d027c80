/// Byte classes from RFC 9110 §5.6.2 / RFC 9112 used by the parser and the writer.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let question: UInt8 = 0x3F
    static let slash: UInt8 = 0x2F

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA,
    /// as two 64-bit masks (bit b of `tcharLow` for byte b < 64, bit b - 64 of `tcharHigh` for 64 ≤ b < 128).
    /// Integer literals need no lazy initialisation: a `[Bool]` table cost one `swift_once` per byte looked up.
    static let tcharLow: UInt64 = 0x03FF_6CFA_0000_0000
    static let tcharHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    @inline(__always) static func isTchar(_ b: UInt8) -> Bool {
        b < 64 ? (tcharLow >> UInt64(b)) & 1 != 0 : b < 128 && (tcharHigh >> UInt64(b & 63)) & 1 != 0
    }

    /// field-vchar / SP / HTAB / obs-text: every byte except CTLs (other than HTAB) and DEL.
    @inline(__always) static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == htab || (b >= 0x20 && b != 0x7F)
    }

    /// Bytes allowed in a request-target: VCHAR and obs-text (no SP, no CTL, no DEL).
    @inline(__always) static func isTargetByte(_ b: UInt8) -> Bool {
        b > 0x20 && b != 0x7F
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt64? {
        switch b {
        case 0x30...0x39: return UInt64(b - 0x30)
        case 0x41...0x46: return UInt64(b - 0x41 + 10)
        case 0x61...0x66: return UInt64(b - 0x61 + 10)
        default: return nil
        }
    }

    /// Case-insensitive comparison of `bytes` with a lowercase ASCII literal.
    @inline(__always) static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let p = lowercase.utf8Start
        for i in 0..<bytes.count where lower(bytes[i]) != p[i] { return false }
        return true
    }
}
