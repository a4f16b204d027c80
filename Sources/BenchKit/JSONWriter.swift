/// Serialises `JSONValue` the way Python's `json.dumps` does with default arguments
/// (separators `", "` and `": "`, `ensure_ascii=True`, floats as `repr`, `NaN`/`Infinity`), or
/// compactly (`","`/`":"`) for request bodies when `compact` is true.
public enum JSONWriter {
    public static func string(_ v: JSONValue, compact: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(v, into: &out, compact: compact)
        return String(decoding: out, as: UTF8.self)
    }

    public static func bytes(_ v: JSONValue, compact: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        write(v, into: &out, compact: compact)
        return out
    }

    /// Python `repr(float)`-compatible formatting: shortest round-trip digits, `.0` for integral
    /// values, exponent form `1e-05` / `1e+16` outside [1e-4, 1e16).
    public static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let a = abs(d)
        var s = d.description // shortest round-trip, Swift style
        if a >= 1e16 || a < 1e-4 {
            // Swift gives e.g. "1e-05", "1.5e+16", "5e-324"; Python gives the same shapes.
            if !s.contains("e") {
                // Swift prints some values (< 2^53) without exponent; rebuild as Python would.
                s = pythonExponent(d)
            }
            return s
        }
        if s.contains("e") {
            // Swift uses exponent form for some values Python prints positionally.
            s = positional(d)
        }
        return s
    }

    private static func pythonExponent(_ d: Double) -> String {
        let desc = d.description
        // Convert positional digits to d.ddde+XX form.
        let neg = desc.hasPrefix("-")
        let body = neg ? String(desc.dropFirst()) : desc
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var intPart = String(parts[0])
        var frac = parts.count > 1 ? String(parts[1]) : ""
        if frac == "0" { frac = "" }
        var digits = intPart + frac
        var exp = intPart.count - 1
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); exp -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        intPart = String(digits.prefix(1))
        let rest = digits.dropFirst()
        let mant = rest.isEmpty ? intPart : intPart + "." + rest
        let e = exp < 0 ? "-" + pad2(-exp) : "+" + pad2(exp)
        return (neg ? "-" : "") + mant + "e" + e
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func positional(_ d: Double) -> String {
        let desc = d.description
        guard let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return desc }
        let mant = String(desc[..<eIdx])
        guard let exp = Int(desc[desc.index(after: eIdx)...]) else { return desc }
        let neg = mant.hasPrefix("-")
        let m = neg ? String(mant.dropFirst()) : mant
        let parts = m.split(separator: ".", omittingEmptySubsequences: false)
        let ip = String(parts[0])
        let fp = parts.count > 1 ? String(parts[1]) : ""
        var digits = ip + fp
        var point = ip.count + exp
        if point <= 0 { digits = String(repeating: "0", count: 1 - point) + digits; point = 1 }
        if point >= digits.count { digits += String(repeating: "0", count: point - digits.count); return (neg ? "-" : "") + digits + ".0" }
        let idx = digits.index(digits.startIndex, offsetBy: point)
        var frac = String(digits[idx...])
        while frac.hasSuffix("0") && frac.count > 1 { frac.removeLast() }
        return (neg ? "-" : "") + digits[..<idx] + "." + frac
    }

    static func write(_ v: JSONValue, into out: inout [UInt8], compact: Bool) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (k, e) in a.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")); if !compact { out.append(0x20) } }
                write(e, into: &out, compact: compact)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (k, p) in pairs.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")); if !compact { out.append(0x20) } }
                writeString(p.0, into: &out)
                out.append(UInt8(ascii: ":")); if !compact { out.append(0x20) }
                write(p.1, into: &out, compact: compact)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        // Fast path (e.g. base64 data URLs): printable ASCII without quotes or backslashes is copied as is.
        let plain = s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        if plain {
            out.append(contentsOf: s.utf8)
            out.append(0x22)
            return
        }
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x20..<0x7F: out.append(UInt8(u.value))
            case 0..<0x10000: escape16(UInt16(u.value), into: &out)
            default:
                let v = u.value - 0x10000
                escape16(UInt16(0xD800 + (v >> 10)), into: &out)
                escape16(UInt16(0xDC00 + (v & 0x3FF)), into: &out)
            }
        }
        out.append(0x22)
    }

    private static func escape16(_ v: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"),
                                hex[Int(v >> 12) & 0xF], hex[Int(v >> 8) & 0xF], hex[Int(v >> 4) & 0xF], hex[Int(v) & 0xF]])
    }
}
