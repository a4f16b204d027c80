import Testing
@testable import OpenAIAPI

@Suite struct JSONWriterTests {
    func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapingMatchesPythonJSONDumps() {
        #expect(escaped("") == #""""#)
        #expect(escaped("plain text") == #""plain text""#)
        #expect(escaped("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(escaped("\n\r\t\u{8}\u{c}") == #""\n\r\t\b\f""#)
        #expect(escaped("\u{0}\u{1}\u{1f}\u{7f}") == "\"\\u0000\\u0001\\u001f\u{7f}\"")
        #expect(escaped("héllo 中文 😀 \u{2028}") == "\"héllo 中文 😀 \u{2028}\"")
        #expect(escaped("0123456789abcdef\"0123456789abcdef") == #""0123456789abcdef\"0123456789abcdef""#)
    }

    @Test func fastEscaperMatchesNaiveReference() {
        var rng = SplitMix64(seed: 7)
        let pieces = ["a", "bcdefgh", " ", "\"", "\\", "\n", "\u{1}", "\u{1f}", "é", "中", "😀", "/", "\u{7f}", "xyz012345"]
        for _ in 0..<5000 {
            var s = ""
            for _ in 0..<Int(rng.next() % 30) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            var fast: [UInt8] = []
            var naive: [UInt8] = []
            JSONWriter.appendEscaped(s, to: &fast)
            JSONWriter.appendEscapedNaive(s, to: &naive)
            #expect(fast == naive, "\(s.debugDescription)")
        }
    }

    @Test func numbers() {
        func int(_ v: Int) -> String {
            var out: [UInt8] = []
            JSONWriter.appendInt(v, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(int(0) == "0")
        #expect(int(7) == "7")
        #expect(int(10) == "10")
        #expect(int(-42) == "-42")
        #expect(int(1767225600) == "1767225600")
        #expect(int(Int.max) == "9223372036854775807")
        #expect(int(Int.min) == "-9223372036854775808")
        func dbl(_ v: Double) -> String {
            var out: [UInt8] = []
            JSONWriter.appendDouble(v, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        // Python repr(float).
        #expect(dbl(1) == "1.0")
        #expect(dbl(0.1) == "0.1")
        #expect(dbl(-2.5) == "-2.5")
        #expect(dbl(1e-5) == "1e-05")
        #expect(dbl(1e22) == "1e+22")
        #expect(dbl(1.5e300) == "1.5e+300")
        #expect(dbl(.infinity) == "null")
        #expect(dbl(.nan) == "null")
    }

    @Test func valuesRoundTripThroughTheParser() throws {
        let text = #"{"a":[1,-2,3.5,true,false,null,"x\ny",{"":{}}],"b":"é😀","c":[]}"#
        let v = try JSONParser.parse(text)
        var w = JSONWriter()
        w.value(v)
        #expect(String(decoding: w.bytes, as: UTF8.self) == text)
        #expect(try JSONParser.parse(w.bytes) == v)
    }

    @Test func writerPrimitives() {
        var w = JSONWriter(capacity: 16)
        w.raw("[")
        w.string("s")
        w.raw(",")
        w.string(nil as String?)
        w.raw(",")
        w.int(3)
        w.raw(",")
        w.bool(true)
        w.raw(",")
        w.null()
        w.raw(",")
        w.double(0.5)
        w.raw("]")
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"["s",null,3,true,null,0.5]"#)
    }
}
