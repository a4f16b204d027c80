/// Allocation-light JSON serialisation into a growing `[UInt8]`.
///
/// Output is compact (no spaces) and matches Python's `json.dumps(ensure_ascii=False)` and
/// pydantic's `model_dump_json` escaping: `"` `\\` `\n` `\r` `\t` `\b` `\f` get short escapes, other
/// bytes below 0x20 become `\u00XX`, everything else (including `/`, DEL and non-ASCII UTF-8) is
/// copied as is. Used for every SSE chunk, so the escaper skips clean 8-byte words at a time;
/// `appendEscapedNaive` is the byte-at-a-time reference.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw bytes (already valid JSON).
    @inlinable public mutating func raw(_ s: StaticString) { Self.appendRaw(s, to: &bytes) }
    /// Appends raw bytes (already valid JSON).
    @inlinable public mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    /// Appends `s` as a quoted, escaped JSON string.
    public mutating func string(_ s: String) { Self.appendString(s, to: &bytes) }
    /// Appends a JSON string, or `null` when `s` is nil.
    public mutating func string(_ s: String?) {
        if let s { Self.appendString(s, to: &bytes) } else { raw("null") }
    }
    /// Appends a decimal integer.
    public mutating func int(_ v: Int) { Self.appendInt(v, to: &bytes) }
    /// Appends a number the way Python's `repr(float)` does (shortest round-trip); non-finite values become `null`.
    public mutating func double(_ v: Double) { Self.appendDouble(v, to: &bytes) }
    /// Appends `true` or `false`.
    public mutating func bool(_ v: Bool) { if v { raw("true") } else { raw("false") } }
    /// Appends `null`.
    public mutating func null() { raw("null") }
    /// Appends any JSON value (objects keep member order).
    public mutating func value(_ v: JSONValue) { Self.appendValue(v, to: &bytes) }

    // MARK: static primitives (usable on any [UInt8])

    @inlinable public static func appendRaw(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends `"` + escaped `s` + `"`.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        appendEscaped(s, to: &out)
        out.append(0x22)
    }

    /// Appends the escaped contents of `s` without quotes.
    public static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends the escaped contents of UTF-8 `bytes` without quotes (bytes are assumed valid UTF-8).
    public static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var runStart = 0
        var i = 0
        while i < n {
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if needsEscapeInWord(w) { break }
                i += 8
            }
            guard i < n else { break }
            let b = p[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart)) }
            appendEscape(b, to: &out)
            i += 1
            runStart = i
        }
        if n > runStart { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: n - runStart)) }
    }

    /// Byte-at-a-time reference escaper (same output as `appendEscaped`).
    public static func appendEscapedNaive(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            if b >= 0x20 && b != 0x22 && b != 0x5C { out.append(b) } else { appendEscape(b, to: &out) }
        }
    }

    /// True when a byte of `w` is < 0x20, '"' or '\\' (bytes >= 0x80 are copied verbatim).
    @inline(__always) static func needsEscapeInWord(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let slash = w ^ (ones &* 0x5C)
        let lt20 = (w &- ones &* 0x20) & ~w
        let z1 = (quote &- ones) & ~quote
        let z2 = (slash &- ones) & ~slash
        return (lt20 | z1 | z2) & high != 0
    }

    @inline(__always) static func appendEscape(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
            out.append(hex.utf8Start[Int(b >> 4)])
            out.append(hex.utf8Start[Int(b & 0xF)])
        }
    }

    /// Appends the decimal form of `v`.
    public static func appendInt(_ v: Int, to out: inout [UInt8]) {
        if v >= 0 && v < 10 {
            out.append(0x30 &+ UInt8(v))
            return
        }
        var magnitude = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            while magnitude > 0 {
                i -= 1
                buf[i] = 0x30 &+ UInt8(magnitude % 10)
                magnitude /= 10
            }
            if v < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    /// Appends `v` like Python's `repr(float)`: "1.0", "0.5", "1e-05", "1e+22"; non-finite values become `null`.
    public static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        guard v.isFinite else {
            appendRaw("null", to: &out)
            return
        }
        // Swift's description is the shortest round-trip form; adjust the exponent notation to Python's.
        var text = v.description
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            var exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var sign = "+"
            if exponent.hasPrefix("-") {
                sign = "-"
                exponent.removeFirst()
            } else if exponent.hasPrefix("+") {
                exponent.removeFirst()
            }
            if exponent.count < 2 { exponent = "0" + exponent }
            text = mantissa + "e" + sign + exponent
        }
        out.append(contentsOf: text.utf8)
    }

    /// Appends any JSON value.
    public static func appendValue(_ v: JSONValue, to out: inout [UInt8]) {
        switch v {
        case .null: appendRaw("null", to: &out)
        case .bool(let b): if b { appendRaw("true", to: &out) } else { appendRaw("false", to: &out) }
        case .int(let i): appendInt(Int(i), to: &out)
        case .double(let d): appendDouble(d, to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(e, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(m.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendValue(m.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
