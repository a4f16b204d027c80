import Testing
@testable import OpenAIAPI

/// Parses literal bytes; returns the error or nil.
func parseError(_ bytes: [UInt8], limits: JSONLimits = .default) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, limits: JSONLimits = .default) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits)
}

@Suite struct JSONParserTests {
    @Test func scalarsAndContainers() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" true ") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("-12") == .int(-12))
        #expect(try JSONParser.parse("1.5") == .double(1.5))
        #expect(try JSONParser.parse("-2.5e3") == .double(-2500))
        #expect(try JSONParser.parse("1E2") == .double(100))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object([]))
        #expect(try JSONParser.parse("\t[1, \"a\" ,{\"k\":[null]}]\r\n")
            == .array([.int(1), .string("a"), .object([(key: "k", value: .array([.null]))])]))
    }

    @Test func objectKeepsOrderAndLastDuplicateWins() throws {
        let v = try JSONParser.parse(#"{"b":1,"a":2,"b":3}"#)
        guard case .object(let m) = v else { Issue.record("not an object"); return }
        #expect(m.map(\.key) == ["b", "a", "b"])
        #expect(v["b"] == .int(3))
        #expect(v["missing"] == nil)
        #expect(v["a"]?.intValue == 2 && v["a"]?.doubleValue == 2)
        #expect(v.objectValue?.count == 3 && v.arrayValue == nil && v.boolValue == nil && v.typeName == "object")
    }

    @Test func integerExactnessAndHugeNumbers() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try JSONParser.parse("1180591620717411303424") == .double(1180591620717411303424.0))  // 2^70
        #expect(try JSONParser.parse("1e400") == .double(.infinity))
        #expect(try JSONParser.parse("-1e400") == .double(-.infinity))
        #expect(try JSONParser.parse("1e-400") == .double(0))
    }

    @Test func stringsAndEscapes() throws {
        #expect(try JSONParser.parse(#""""#) == .string(""))
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try JSONParser.parse(#""\u0041\u00e9\u4e2d""#) == .string("Aé中"))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try JSONParser.parse("\"héllo 中文 😀\"") == .string("héllo 中文 😀"))
        // Escapes after long plain runs (crosses the 8-byte fast path).
        #expect(try JSONParser.parse(#""abcdefghijklmnop\nqrstuvwxyz0123456789\"""#)
            == .string("abcdefghijklmnop\nqrstuvwxyz0123456789\""))
    }

    @Test func malformedDocumentsReportOffsets() {
        #expect(parseError([]) == JSONParseError(offset: 0, reason: .unexpectedEnd))
        #expect(parseError("   ") == JSONParseError(offset: 3, reason: .unexpectedEnd))
        #expect(parseError("{\"a\":1,}") == JSONParseError(offset: 7, reason: .unexpectedByte(UInt8(ascii: "}"))))
        #expect(parseError("[1,]") == JSONParseError(offset: 3, reason: .unexpectedByte(UInt8(ascii: "]"))))
        #expect(parseError("[1 2]") == JSONParseError(offset: 3, reason: .unexpectedByte(UInt8(ascii: "2"))))
        #expect(parseError("{\"a\" 1}") == JSONParseError(offset: 5, reason: .unexpectedByte(UInt8(ascii: "1"))))
        #expect(parseError("{a:1}") == JSONParseError(offset: 1, reason: .unexpectedByte(UInt8(ascii: "a"))))
        #expect(parseError("{\"a\":1") == JSONParseError(offset: 6, reason: .unexpectedEnd))
        #expect(parseError("[1] x") == JSONParseError(offset: 4, reason: .trailingData))
        #expect(parseError("{} {}") == JSONParseError(offset: 3, reason: .trailingData))
        #expect(parseError("tru") == JSONParseError(offset: 3, reason: .unexpectedEnd))
        #expect(parseError("nul1") == JSONParseError(offset: 3, reason: .unexpectedByte(UInt8(ascii: "1"))))
        #expect(parseError("NaN") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "N"))))
        #expect(parseError("Infinity") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "I"))))
        #expect(parseError("'a'") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "'"))))
        #expect(parseError("// c\n1") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "/"))))
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x31]) == JSONParseError(offset: 0, reason: .unexpectedByte(0xEF)))
        #expect(parseError([0x5B, 0x00, 0x5D]) == JSONParseError(offset: 1, reason: .unexpectedByte(0x00)))
        #expect(parseError("\"abc") == JSONParseError(offset: 4, reason: .unexpectedEnd))
        #expect(parseError("\"abcdefghijklmnopqrstuvwxyz") == JSONParseError(offset: 27, reason: .unexpectedEnd))
    }

    @Test func invalidNumbers() {
        #expect(parseError("01") == JSONParseError(offset: 1, reason: .invalidNumber))
        #expect(parseError("-") == JSONParseError(offset: 1, reason: .unexpectedEnd))
        #expect(parseError("-a") == JSONParseError(offset: 1, reason: .invalidNumber))
        #expect(parseError("1.") == JSONParseError(offset: 2, reason: .unexpectedEnd))
        #expect(parseError("1.e5") == JSONParseError(offset: 2, reason: .invalidNumber))
        #expect(parseError(".5") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "."))))
        #expect(parseError("1e") == JSONParseError(offset: 2, reason: .unexpectedEnd))
        #expect(parseError("1e+x") == JSONParseError(offset: 3, reason: .invalidNumber))
        #expect(parseError("+1") == JSONParseError(offset: 0, reason: .unexpectedByte(UInt8(ascii: "+"))))
        #expect(parseError("0x10") == JSONParseError(offset: 1, reason: .trailingData))
        let long = String(repeating: "1", count: 65)
        #expect(parseError(long) == JSONParseError(offset: 0, reason: .numberTooLong(64)))
        #expect(parseError("0." + String(repeating: "5", count: 70)) == JSONParseError(offset: 0, reason: .numberTooLong(64)))
    }

    @Test func invalidStrings() {
        #expect(parseError("\"a\u{1}b\"") == JSONParseError(offset: 2, reason: .controlCharacterInString))
        #expect(parseError("\"a\nb\"") == JSONParseError(offset: 2, reason: .controlCharacterInString))
        #expect(parseError("\"abcdefghijk\tb\"") == JSONParseError(offset: 12, reason: .controlCharacterInString))
        #expect(parseError(#""\x41""#) == JSONParseError(offset: 1, reason: .invalidEscape))
        #expect(parseError(#""\u12G4""#) == JSONParseError(offset: 1, reason: .invalidEscape))
        #expect(parseError(#""\u12""#) == JSONParseError(offset: 3, reason: .unexpectedEnd))
        #expect(parseError(#"["\u12", 1]"#) == JSONParseError(offset: 2, reason: .invalidEscape))
        #expect(parseError(#""\"#) == JSONParseError(offset: 2, reason: .unexpectedEnd))
        // Lone surrogates in \u escapes.
        #expect(parseError(#""\ud800""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(parseError(#""\ud800x""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(parseError(#""\udc00""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(parseError(#""ab\ud83d\u0041""#) == JSONParseError(offset: 3, reason: .loneSurrogate))
        #expect(parseError(#""\ud83d\ud83d""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
    }

    @Test func invalidUTF8() {
        let q: UInt8 = 0x22
        // Overlong encodings, UTF-16 surrogates, > U+10FFFF, stray continuation, truncated sequences.
        let cases: [([UInt8], Int)] = [
            ([q, 0xC0, 0x80, q], 1),                 // overlong NUL
            ([q, 0xC1, 0xBF, q], 1),                 // overlong
            ([q, 0x61, 0xE0, 0x80, 0x80, q], 2),     // overlong 3-byte
            ([q, 0xED, 0xA0, 0x80, q], 1),           // encoded surrogate U+D800
            ([q, 0xF0, 0x80, 0x80, 0x80, q], 1),     // overlong 4-byte
            ([q, 0xF4, 0x90, 0x80, 0x80, q], 1),     // U+110000
            ([q, 0xF5, 0x80, 0x80, 0x80, q], 1),     // invalid lead byte
            ([q, 0xFF, q], 1),
            ([q, 0x80, q], 1),                       // lone continuation
            ([q, 0xC3, q], 1),                       // truncated 2-byte
            ([q, 0xE4, 0xB8, q], 1),                 // truncated 3-byte
            ([q, 0xE4, 0xB8], 1),                    // truncated at end of input
            (Array("\"abcdefgh".utf8) + [0xC3, 0x28, q], 9),
        ]
        for (bytes, offset) in cases {
            #expect(parseError(bytes) == JSONParseError(offset: offset, reason: .invalidUTF8), "\(bytes)")
        }
        // Non-ASCII outside a string is an unexpected byte.
        #expect(parseError([0xC3, 0xA9]) == JSONParseError(offset: 0, reason: .unexpectedByte(0xC3)))
        // Valid multi-byte sequences at the edges of each range.
        #expect(parseError([q, 0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80,
                            0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, q]) == nil)
    }

    @Test func depthLimitIsAnErrorNotACrash() {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(deep) == JSONParseError(offset: 64, reason: .depthLimitExceeded(64)))
        // A million unclosed brackets: stops at the limit without recursing further.
        let huge = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(parseError(huge) == JSONParseError(offset: 64, reason: .depthLimitExceeded(64)))
        let objects = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(parseError(objects)?.reason == .depthLimitExceeded(64))
    }

    @Test func sizeLimits() {
        let limits = JSONLimits(maxDepth: 8, maxStringBytes: 16, maxNumberBytes: 8, maxValues: 5)
        #expect(parseError("\"0123456789abcdef\"", limits: limits) == nil)
        #expect(parseError("\"0123456789abcdefg\"", limits: limits) == JSONParseError(offset: 1, reason: .stringTooLong(16)))
        #expect(parseError(#""0123456789abcde\n""#, limits: limits) == nil)
        #expect(parseError(#""0123456789abcdef\n""#, limits: limits) == JSONParseError(offset: 1, reason: .stringTooLong(16)))
        #expect(parseError("\"" + String(repeating: "a", count: 1000) + "\"", limits: limits)
            == JSONParseError(offset: 1, reason: .stringTooLong(16)))
        #expect(parseError("12345678", limits: limits) == nil)
        #expect(parseError("123456789", limits: limits) == JSONParseError(offset: 0, reason: .numberTooLong(8)))
        #expect(parseError("[1,2,3,4]", limits: limits) == nil)
        #expect(parseError("[1,2,3,4,5]", limits: limits) == JSONParseError(offset: 9, reason: .tooManyValues(5)))
    }

    @Test func errorDescriptionsAreReadable() {
        #expect(JSONParseError(offset: 7, reason: .unexpectedByte(UInt8(ascii: "}"))).description
            == "unexpected character '}' at byte 7")
        #expect(JSONParseError(offset: 1, reason: .unexpectedByte(0xC3)).description == "unexpected byte 0xC3 at byte 1")
        #expect(JSONParseError(offset: 64, reason: .depthLimitExceeded(64)).description
            == "nesting deeper than 64 levels at byte 64")
    }

    /// The 8-byte fast scanner and the byte-at-a-time reference agree on every prefix/variant.
    @Test func wordScannerMatchesNaiveScanner() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [[UInt8]] = [
            Array("a".utf8), Array("Z".utf8), Array(" ".utf8), Array("\\n".utf8), Array("\\\"".utf8),
            Array("\\u00e9".utf8), Array("\\ud83d\\ude00".utf8), Array("é".utf8), Array("中".utf8), Array("😀".utf8),
            [0x01], [0xC3], [0xED, 0xA0, 0x80], Array("\\x".utf8), Array("\\ud800".utf8), [0x7F], Array("/".utf8),
        ]
        for _ in 0..<3000 {
            var doc: [UInt8] = [0x22]
            let n = Int(rng.next() % 40)
            for _ in 0..<n {
                let r = rng.next() % 100
                // Mostly clean pieces so that long clean runs occur.
                let piece = r < 70 ? alphabet[Int(r % 3)] : alphabet[Int(r % UInt64(alphabet.count))]
                doc.append(contentsOf: piece)
            }
            if rng.next() % 10 != 0 { doc.append(0x22) }
            let fast = doc.withUnsafeBytes { raw in Result { () throws(JSONParseError) in
                try JSONParser.parse(raw, limits: .default, wordScan: true) } }
            let naive = doc.withUnsafeBytes { raw in Result { () throws(JSONParseError) in
                try JSONParser.parse(raw, limits: .default, wordScan: false) } }
            switch (fast, naive) {
            case let (.success(a), .success(b)): #expect(a == b)
            case let (.failure(a), .failure(b)): #expect(a == b, "\(doc)")
            default: Issue.record("scanners disagree on \(doc)")
            }
        }
    }
}

/// Small deterministic generator for test inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
