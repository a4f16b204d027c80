/// The recursive-descent engine behind `JSONParser` (one document, one pass, no backtracking).
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: JSONLimits
    let wordScan: Bool
    var pos = 0
    var depth = 0
    var values = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, limits: JSONLimits, wordScan: Bool) {
        self.base = base
        self.count = count
        self.limits = limits
        self.wordScan = wordScan
    }

    @inline(__always) func fail(_ reason: JSONParseError.Reason, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if pos != count { throw fail(.trailingData, at: pos) }
        return value
    }

    @inline(__always) mutating func skipWhitespace() {
        while pos < count {
            let b = base[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
        }
    }

    mutating func countValue() throws(JSONParseError) {
        values += 1
        if values > limits.maxValues { throw fail(.tooManyValues(limits.maxValues), at: pos) }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard pos < count else { throw fail(.unexpectedEnd, at: pos) }
        try countValue()
        switch base[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail(.unexpectedByte(base[pos]), at: pos)
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let p = word.utf8Start
        for i in 0..<n {
            guard pos + i < count else { throw fail(.unexpectedEnd, at: pos + i) }
            if base[pos + i] != p[i] { throw fail(.unexpectedByte(base[pos + i]), at: pos + i) }
        }
        pos += n
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > limits.maxDepth { throw fail(.depthLimitExceeded(limits.maxDepth), at: pos) }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        pos += 1  // [
        skipWhitespace()
        var elements: [JSONValue] = []
        if pos < count && base[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard pos < count else { throw fail(.unexpectedEnd, at: pos) }
            let b = base[pos]
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { break }
            throw fail(.unexpectedByte(b), at: pos - 1)
        }
        depth -= 1
        return .array(elements)
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        pos += 1  // {
        skipWhitespace()
        var members: [(key: String, value: JSONValue)] = []
        if pos < count && base[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard pos < count else { throw fail(.unexpectedEnd, at: pos) }
            guard base[pos] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(base[pos]), at: pos) }
            let key = try parseString()
            skipWhitespace()
            guard pos < count else { throw fail(.unexpectedEnd, at: pos) }
            guard base[pos] == UInt8(ascii: ":") else { throw fail(.unexpectedByte(base[pos]), at: pos) }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key: key, value: value))
            skipWhitespace()
            guard pos < count else { throw fail(.unexpectedEnd, at: pos) }
            let b = base[pos]
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { break }
            throw fail(.unexpectedByte(b), at: pos - 1)
        }
        depth -= 1
        return .object(members)
    }

    // MARK: numbers

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var p = pos
        var negative = false
        if base[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < count else { throw fail(.unexpectedEnd, at: p) }
        let firstDigit = base[p]
        guard isDigit(firstDigit) else { throw fail(.invalidNumber, at: p) }
        // Integer part, accumulated as a negative magnitude so Int64.min fits.
        var magnitude: Int64 = 0
        var overflow = false
        if firstDigit == UInt8(ascii: "0") {
            p += 1
            if p < count && isDigit(base[p]) { throw fail(.invalidNumber, at: p) }
        } else {
            while p < count && isDigit(base[p]) {
                let d = Int64(base[p] &- 0x30)
                if !overflow {
                    let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (m2, o2) = m1.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { magnitude = m2 }
                }
                p += 1
                if p - start > limits.maxNumberBytes { throw fail(.numberTooLong(limits.maxNumberBytes), at: start) }
            }
        }
        var isInteger = true
        if p < count && base[p] == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard p < count else { throw fail(.unexpectedEnd, at: p) }
            guard isDigit(base[p]) else { throw fail(.invalidNumber, at: p) }
            while p < count && isDigit(base[p]) {
                p += 1
                if p - start > limits.maxNumberBytes { throw fail(.numberTooLong(limits.maxNumberBytes), at: start) }
            }
        }
        if p < count && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            isInteger = false
            p += 1
            if p < count && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            guard p < count else { throw fail(.unexpectedEnd, at: p) }
            guard isDigit(base[p]) else { throw fail(.invalidNumber, at: p) }
            while p < count && isDigit(base[p]) {
                p += 1
                if p - start > limits.maxNumberBytes { throw fail(.numberTooLong(limits.maxNumberBytes), at: start) }
            }
        }
        if p - start > limits.maxNumberBytes { throw fail(.numberTooLong(limits.maxNumberBytes), at: start) }
        pos = p
        if isInteger && !overflow {
            if negative { return .int(magnitude) }
            if magnitude != Int64.min { return .int(-magnitude) }
        }
        // Fraction, exponent or out of Int64 range: Double (±infinity when out of Double range).
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: p - start), as: UTF8.self)
        guard let d = Double(text) else { throw fail(.invalidNumber, at: start) }
        return .double(d)
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

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
        let limitEnd = start + limits.maxStringBytes + 1
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
