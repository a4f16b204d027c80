import OpenAIAPI

/// The JSON dialect of Python's `json.dump(obj, f)` with default arguments, which is how
/// `vllm bench serve` writes result files: separators `", "` and `": "`, `ensure_ascii=True`
/// (non-ASCII and DEL as lowercase `\uXXXX`, astral scalars as surrogate pairs), floats as
/// `repr(float)`, and non-finite floats as `NaN` / `Infinity` / `-Infinity`.
///
/// Everything else is OpenAIAPI's: values are `OpenAIAPI.JSONValue`, ASCII text is escaped by
/// `JSONWriter.appendEscaped` (whose escapes for bytes below 0x7F are Python's), integers come
/// from `JSONWriter.appendInt`, and parsing is `JSONParser`. This type exists only because
/// OpenAIAPI writes the compact, `ensure_ascii=False` wire format of request/response bodies,
/// prints non-finite numbers as `null`, and (following Swift's `description`) uses exponent form
/// for magnitudes in [2^53, 1e16) where Python's `repr` is positional.
public enum PythonJSON {
    /// `json.dumps(value)` as UTF-8 bytes (pure ASCII).
    public static func dumps(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        append(value, to: &out)
        return out
    }

    /// `json.dumps(value)` as a String.
    public static func dumpsString(_ value: JSONValue) -> String {
        String(decoding: dumps(value), as: UTF8.self)
    }

    /// Python's `repr(float)`: shortest round-trip digits, `1.0` for integral values, exponent form
    /// (`1e-05`, `1e+16`) below 1e-4 and from 1e16 up, `NaN` / `Infinity` / `-Infinity` (as
    /// `json.dumps` spells them; `repr` itself says `nan` / `inf`).
    public static func repr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        var out: [UInt8] = []
        JSONWriter.appendDouble(d, to: &out)
        let a = abs(d)
        if a >= 9_007_199_254_740_992, a < 1e16, out.contains(UInt8(ascii: "e")) {
            // Integral here (above 2^53), and exactly representable in 16 digits.
            return String(Int64(d)) + ".0"
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `json.loads` for result files: strict `JSONParser`, except that the bare `NaN`, `Infinity`
    /// and `-Infinity` tokens Python writes for non-finite floats are read as `null` (so a metric
    /// that was not a number reads as absent). Limits: `JSONLimits.localFiles`.
    public static func loads(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let limits = JSONLimits.localFiles
        do {
            return try JSONParser.parse(bytes, limits: limits)
        } catch {
            guard let v = try? JSONParser.parse(nonFiniteAsNull(bytes), limits: limits) else { throw error }
            return v
        }
    }

    /// `bytes` with every `NaN`, `Infinity` and `-Infinity` outside strings replaced by `null`.
    static func nonFiniteAsNull(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0, inString = false
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { return false }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
            return true
        }
        while i < bytes.count {
            let c = bytes[i]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\"), i + 1 < bytes.count { out.append(bytes[i + 1]); i += 2; continue }
                if c == 0x22 { inString = false }
                i += 1
                continue
            }
            if c == 0x22 { inString = true }
            if let word: StaticString = matches("NaN") ? "NaN" : matches("Infinity") ? "Infinity"
                : matches("-Infinity") ? "-Infinity" : nil {
                out.append(contentsOf: "null".utf8)
                i += word.utf8CodeUnitCount
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    static func append(_ v: JSONValue, to out: inout [UInt8]) {
        switch v {
        case .double(let d): out.append(contentsOf: repr(d).utf8)
        case .string(let s): appendASCIIString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")); out.append(0x20) }
                append(e, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")); out.append(0x20) }
                appendASCIIString(m.key, to: &out)
                out.append(UInt8(ascii: ":")); out.append(0x20)
                append(m.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .null, .bool, .int: JSONWriter.appendValue(v, to: &out)
        }
    }

    /// A quoted string with `ensure_ascii=True` escaping.
    static func appendASCIIString(_ s: String, to out: inout [UInt8]) {
        if s.utf8.allSatisfy({ $0 < 0x7F }) {
            JSONWriter.appendString(s, to: &out) // e.g. base64 data URLs: copied in bulk
            return
        }
        out.append(0x22)
        var ascii: [UInt8] = []
        func flush() {
            ascii.withUnsafeBytes { JSONWriter.appendEscaped($0, to: &out) }
            ascii.removeAll(keepingCapacity: true)
        }
        for u in s.unicodeScalars {
            if u.value < 0x7F { ascii.append(UInt8(u.value)); continue }
            flush()
            if u.value < 0x10000 {
                appendEscape16(UInt16(u.value), to: &out)
            } else {
                let v = u.value - 0x10000
                appendEscape16(UInt16(0xD800 + (v >> 10)), to: &out)
                appendEscape16(UInt16(0xDC00 + (v & 0x3FF)), to: &out)
            }
        }
        flush()
        out.append(0x22)
    }

    private static func appendEscape16(_ v: UInt16, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        out.append(0x5C); out.append(UInt8(ascii: "u"))
        for shift in [12, 8, 4, 0] { out.append(hex.utf8Start[Int(v >> UInt16(shift)) & 0xF]) }
    }
}
