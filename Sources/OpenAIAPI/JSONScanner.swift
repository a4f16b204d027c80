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
}
