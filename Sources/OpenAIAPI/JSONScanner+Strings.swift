/// String scanning for `JSONScanner`: the SWAR fast path, strict UTF-8 validation and escapes.
extension JSONScanner {
    // MARK: strings

    /// Parses a string starting at the opening quote; leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: find the end of a run without escapes, validating UTF-8 on the way.
        var p = try scanPlain(from: start)
        guard p < count else { throw fail(.unexpectedEnd, at: p) }
        if base[p] == UInt8(ascii: "\"") {
            let n = p - start
            if n > limits.maxStringBytes { throw fail(.stringTooLong(limits.maxStringBytes), at: start) }
            pos = p + 1
            if n == 0 { return "" }
            return String(unsafeUninitializedCapacity: n) { buffer in
                _ = buffer.initialize(from: UnsafeBufferPointer(start: base + start, count: n))
                return n
            }
        }
        // Slow path: a backslash. Copy what we have and unescape the rest into `scratch`.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: p - start))
        while true {
            guard p < count else { throw fail(.unexpectedEnd, at: p) }
            let b = base[p]
            if b == UInt8(ascii: "\"") {
                pos = p + 1
                break
            }
            // b is a backslash (scanPlain stops only at quote, backslash or end).
            p = try unescape(at: p)
            let runStart = p
            p = try scanPlain(from: p)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: p - runStart))
            if scratch.count > limits.maxStringBytes {
                throw fail(.stringTooLong(limits.maxStringBytes), at: start)
            }
        }
        if scratch.count > limits.maxStringBytes { throw fail(.stringTooLong(limits.maxStringBytes), at: start) }
        let n = scratch.count
        return scratch.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: n) { buffer in
                _ = buffer.initialize(from: src)
                return n
            }
        }
    }

    /// Advances over string bytes that need no unescaping: stops at `"`, `\` or the end of input.
    /// Throws on control characters and malformed UTF-8. Also enforces the string size limit.
    mutating func scanPlain(from start: Int) throws(JSONParseError) -> Int {
        var p = start
        // Index at which the string is over the limit (saturating: limits may be Int.max).
        let limitEnd = limits.maxStringBytes >= count - start ? count + 1 : start + limits.maxStringBytes + 1
        while p < count {
            if wordScan {
                // 32 bytes at a time, then 8, while no byte is special (< 0x20, '"', '\\', >= 0x80).
                while p + 32 <= count {
                    let raw = UnsafeRawPointer(base + p)
                    let w0 = raw.loadUnaligned(as: UInt64.self)
                    let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    let w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                    let w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if Self.specialMask(w0) | Self.specialMask(w1) | Self.specialMask(w2) | Self.specialMask(w3) != 0 {
                        break
                    }
                    p += 32
                    if p >= limitEnd { throw fail(.stringTooLong(limits.maxStringBytes), at: start) }
                }
                while p + 8 <= count {
                    let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                    if Self.hasSpecialByte(w) { break }
                    p += 8
                    if p >= limitEnd { throw fail(.stringTooLong(limits.maxStringBytes), at: start) }
                }
                guard p < count else { break }
            }
            let b = base[p]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return p }
            if b < 0x20 { throw fail(.controlCharacterInString, at: p) }
            if b < 0x80 {
                p += 1
            } else {
                p = try validateUTF8Sequence(at: p)
            }
            if p >= limitEnd { throw fail(.stringTooLong(limits.maxStringBytes), at: start) }
        }
        return p
    }

    /// True when any byte of `w` is < 0x20, '"', '\\' or >= 0x80 (exact for existence).
    @inline(__always) static func hasSpecialByte(_ w: UInt64) -> Bool { specialMask(w) != 0 }

    /// Nonzero when any byte of `w` is < 0x20, '"', '\\' or >= 0x80 (SWAR "has less than" / "has zero byte").
    @inline(__always) static func specialMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let slash = w ^ (ones &* 0x5C)
        let lt20 = (w &- ones &* 0x20)
        let z1 = (quote &- ones) & ~quote
        let z2 = (slash &- ones) & ~slash
        return ((lt20 | z1 | z2) & ~w | w) & high
    }

    /// Validates one multi-byte UTF-8 sequence starting at `p` (lead byte >= 0x80); returns the index after it.
    @inline(__always) func validateUTF8Sequence(at p: Int) throws(JSONParseError) -> Int {
        let b0 = base[p]
        @inline(__always) func cont(_ i: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) throws(JSONParseError) {
            guard i < count else { throw fail(.invalidUTF8, at: p) }
            let b = base[i]
            if b < lo || b > hi { throw fail(.invalidUTF8, at: p) }
        }
        switch b0 {
        case 0xC2...0xDF:
            try cont(p + 1)
            return p + 2
        case 0xE0:
            try cont(p + 1, 0xA0, 0xBF); try cont(p + 2)
            return p + 3
        case 0xE1...0xEC, 0xEE...0xEF:
            try cont(p + 1); try cont(p + 2)
            return p + 3
        case 0xED:
            try cont(p + 1, 0x80, 0x9F); try cont(p + 2)
            return p + 3
        case 0xF0:
            try cont(p + 1, 0x90, 0xBF); try cont(p + 2); try cont(p + 3)
            return p + 4
        case 0xF1...0xF3:
            try cont(p + 1); try cont(p + 2); try cont(p + 3)
            return p + 4
        case 0xF4:
            try cont(p + 1, 0x80, 0x8F); try cont(p + 2); try cont(p + 3)
            return p + 4
        default:
            throw fail(.invalidUTF8, at: p)
        }
    }

    /// Decodes the escape at `p` (a backslash) into `scratch`; returns the index after it.
    mutating func unescape(at p: Int) throws(JSONParseError) -> Int {
        guard p + 1 < count else { throw fail(.unexpectedEnd, at: p + 1) }
        let e = base[p + 1]
        switch e {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: p + 2)
            var scalar = UInt32(unit)
            var next = p + 6
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard next + 1 < count, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u") else {
                    throw fail(.loneSurrogate, at: p)
                }
                let low = try hex4(at: next + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw fail(.loneSurrogate, at: p) }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                next += 6
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail(.loneSurrogate, at: p)
            }
            appendScalar(scalar)
            return next
        default:
            throw fail(.invalidEscape, at: p)
        }
        return p + 2
    }

    func hex4(at p: Int) throws(JSONParseError) -> UInt16 {
        guard p + 4 <= count else { throw fail(.unexpectedEnd, at: min(p, count)) }
        var v: UInt16 = 0
        for i in 0..<4 {
            let b = base[p + i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 0x61 + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 0x41 + 10
            default: throw fail(.invalidEscape, at: p - 2)
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    mutating func appendScalar(_ s: UInt32) {
        switch s {
        case 0..<0x80:
            scratch.append(UInt8(s))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (s >> 6)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (s >> 12)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (s >> 18)))
            scratch.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
