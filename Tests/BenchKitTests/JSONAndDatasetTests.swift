import Foundation
import OpenAIAPI
import Testing
import TextCore
@testable import BenchKit

@Suite struct JSONTests {
    /// `json.dumps` of the parsed text gives the text back (Python's separators and escapes).
    @Test func pythonDumpsRoundTripKeepsKeyOrder() throws {
        let text = #"{"z": 1, "a": [true, false, null], "m": {"s": "h\u00e9\n\"", "f": 1.5, "e": 1e-05}}"#
        let v = try JSONParser.parse(text)
        #expect(PythonJSON.dumpsString(v) == text)
        #expect(v["m"]?["s"]?.stringValue == "hé\n\"")
    }

    @Test func pythonFloatRepr() {
        #expect(PythonJSON.repr(1) == "1.0")
        #expect(PythonJSON.repr(0.1) == "0.1")
        #expect(PythonJSON.repr(1e16) == "1e+16")
        #expect(PythonJSON.repr(9.5e15) == "9500000000000000.0")   // Swift alone says 9.5e+15
        #expect(PythonJSON.repr(-9_999_999_999_999_998) == "-9999999999999998.0")
        #expect(PythonJSON.repr(123456.789) == "123456.789")
        #expect(PythonJSON.repr(0.0001) == "0.0001")
        #expect(PythonJSON.repr(0.00001234) == "1.234e-05")
        #expect(PythonJSON.repr(-0.0) == "-0.0")
        #expect(PythonJSON.repr(.infinity) == "Infinity")
        #expect(PythonJSON.repr(-.infinity) == "-Infinity")
        #expect(PythonJSON.repr(.nan) == "NaN")
    }

    /// `ensure_ascii=True`: non-ASCII and DEL as `\uXXXX`, astral scalars as surrogate pairs.
    @Test func pythonDumpsEscapesNonASCII() {
        #expect(PythonJSON.dumpsString(.string("😀")) == #""\ud83d\ude00""#)
        #expect(PythonJSON.dumpsString(.string("a\u{7F}\u{1}é\t\\/")) == #""a\u007f\u0001\u00e9\t\\/""#)
        #expect(PythonJSON.dumpsString(.object([("k", .array([.double(.nan), .int(-3), .null]))])) == #"{"k": [NaN, -3, null]}"#)
    }

    /// Result files may hold Python's non-finite floats; they read as null, strings are untouched.
    @Test func pythonLoadsReadsNonFiniteAsNull() throws {
        let v = try PythonJSON.loads(Array(#"{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN \" Infinity", "c": 2}"#.utf8))
        #expect(v == .object([("a", .null), ("b", .array([.null, .null])), ("s", .string(#"NaN " Infinity"#)), ("c", .int(2))]))
        #expect(throws: JSONParseError.self) { try PythonJSON.loads(Array("[1, x]".utf8)) }
        #expect(throws: JSONParseError.self) { try PythonJSON.loads(Array("[NaN,".utf8)) }
    }

    /// Dataset and result files are read with `JSONLimits.localFiles`, not the request-body defaults.
    @Test func localFilesMayHoldMoreValuesThanARequestBody() throws {
        let text = "[" + Array(repeating: "0", count: JSONLimits.default.maxValues + 1).joined(separator: ",") + "]"
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(try PythonJSON.loads(Array(text.utf8)).arrayValue?.count == JSONLimits.default.maxValues + 1)
    }

    @Test func settingReplacesTheMemberSubscriptReads() {
        let o: JSONValue = .object([("a", .int(1)), ("b", .int(2))])
        #expect(o.setting("a", .bool(true)) == .object([("a", .bool(true)), ("b", .int(2))]))
        #expect(o.setting("c", .null) == .object([("a", .int(1)), ("b", .int(2)), ("c", .null)]))
        #expect(JSONValue.double(10).integralValue == 10 && JSONValue.double(1.5).integralValue == nil)
    }
}

@Suite struct DatasetTests {
    /// Any sequence of random-prompt ids decodes to text with exactly that many tokens.
    @Test func randomPromptIDsKeepTheirCount() throws {
        let t = Tokenizer()
        let ids = Tokenizer.randomPromptIDs
        #expect(ids.count == Vocabulary.words.count)
        var rng = SeededRandom(seed: 3)
        for n in [1, 2, 17, 300] {
            let seq = (0..<n).map { _ in ids[rng.int(in: 0, ids.count - 1)] }
            #expect(t.tokenCount(try t.decode(seq)) == n)
        }
        #expect(t.tokenCount("the red cat") == 3)
    }

    @Test func randomDatasetHasExactLengthsAndIsSeeded() throws {
        var d = RandomDataset()
        d.inputLen = 64; d.outputLen = 16; d.rangeRatio = RangeRatio(input: 0.5, output: 0.25)
        d.requestIDPrefix = "bench-x-"
        var rng = SeededRandom(seed: 0)
        let t = TextTokenizer.stub
        let a = try d.sample(count: 50, tokenizer: t, rng: &rng)
        #expect(a.count == 50)
        for r in a {
            #expect((32...96).contains(r.promptLen))
            #expect((12...20).contains(r.expectedOutputLen))
            #expect(t.tokenCount(r.prompt) == r.promptLen)
        }
        #expect(a[3].requestID == "bench-x-3")
        var rng2 = SeededRandom(seed: 0)
        #expect(try d.sample(count: 50, tokenizer: t, rng: &rng2) == a)
        var d0 = RandomDataset(); d0.inputLen = 10; d0.outputLen = 5
        var rng3 = SeededRandom(seed: 1)
        #expect(try d0.sample(count: 5, tokenizer: t, rng: &rng3).allSatisfy { $0.promptLen == 10 && $0.expectedOutputLen == 5 })
    }

    /// With a model's tokenizer.json, random prompts are drawn from its base vocabulary and measured with it.
    @Test func randomDatasetWithAModelTokenizer() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TextCoreTests/Fixtures/tokenizer").standardized.path
        let t = try TextTokenizer.local(directory)
        #expect(t.isModelTokenizer)
        #expect(try TextTokenizer.local(directory + "/tokenizer.json").isModelTokenizer)
        #expect(try !TextTokenizer.local("Qwen/Qwen2.5-VL-7B-Instruct").isModelTokenizer)
        #expect(try !TextTokenizer.local("").isModelTokenizer)
        var d = RandomDataset()
        d.inputLen = 64; d.outputLen = 16
        var rng = SeededRandom(seed: 0)
        let a = try d.sample(count: 20, tokenizer: t, rng: &rng)
        for r in a {
            #expect(t.tokenCount(r.prompt) == r.promptLen)
            #expect(abs(r.promptLen - 64) <= 2)
        }
        var rng2 = SeededRandom(seed: 0)
        #expect(try d.sample(count: 20, tokenizer: t, rng: &rng2) == a)
    }

    @Test func rangeRatioParsing() throws {
        #expect(try RangeRatio.parse("0.1") == RangeRatio(input: 0.1, output: 0.1))
        #expect(try RangeRatio.parse(#"{"input": 0.2, "output": 0.3}"#) == RangeRatio(input: 0.2, output: 0.3))
        #expect(throws: DatasetError.self) { try RangeRatio.parse("1.5") }
    }

    @Test func randomMMImagesFollowBuckets() throws {
        var d = RandomMMDataset()
        d.text.inputLen = 8; d.text.outputLen = 4
        d.buckets = try RandomMMDataset.parseBuckets("{(16, 32, 1): 1.0, (720, 1280, 16): 0.0}")
        #expect(d.buckets.count == 2)
        var rng = SeededRandom(seed: 0)
        let seen = ShapeLog()
        let reqs = try d.sample(count: 3, tokenizer: .stub, rng: &rng) { w, h, px, q in
            seen.add(w, h, px.count, q)
            return [0xFF, 0xD8, 0xFF, 0xD9]
        }
        #expect(reqs.allSatisfy { $0.imageURLs == ["data:image/jpeg;base64,/9j/2Q=="] })
        #expect(seen.all == [[32, 16, 16 * 32 * 3, 75], [32, 16, 16 * 32 * 3, 75], [32, 16, 16 * 32 * 3, 75]])
        d.buckets = [MMBucket(height: 4, width: 4, frames: 8, probability: 1)]
        var rng2 = SeededRandom(seed: 0)
        #expect(throws: DatasetError.self) { try d.sample(count: 1, tokenizer: .stub, rng: &rng2) { _, _, _, _ in [] } }
        #expect(throws: DatasetError.self) { try RandomMMDataset.parseBuckets("{}") }
    }

    @Test func requestBodiesMatchUpstreamShape() throws {
        let r = SampleRequest(prompt: "hi", promptLen: 1, expectedOutputLen: 8, imageURLs: ["data:image/jpeg;base64,AA=="], requestID: "r0")
        let extra = try RequestBuilder.mergeExtraBody(sampling: [("temperature", .double(0.5)), ("top_p", .double(0.9))],
                                                      extraBodyJSON: #"{"temperature": 0.0, "seed": 1}"#)
        let chat = RequestBuilder(backend: .openaiChat, model: "m", ignoreEOS: true, extraBody: extra)
        #expect(String(decoding: chat.bodyBytes(r), as: UTF8.self) ==
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,AA=="}}]}],"max_completion_tokens":8,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true,"temperature":0.0,"top_p":0.9,"seed":1}"#)
        let comp = RequestBuilder(backend: .openai, model: "m", ignoreEOS: false)
        #expect(String(decoding: comp.bodyBytes(r), as: UTF8.self) ==
            #"{"model":"m","prompt":"hi","repetition_penalty":1.0,"max_tokens":8,"logprobs":null,"stream":true,"stream_options":{"include_usage":true}}"#)
        #expect(throws: DatasetError.self) { try RequestBuilder.mergeExtraBody(sampling: [], extraBodyJSON: "[1]") }
    }

    @Test func shareGPTAndCustomFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-ds-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sg = dir.appendingPathComponent("sg.json")
        try #"[{"conversations":[{"from":"human","value":"one two three four five"},{"from":"gpt","value":"a b c d e f"}]},{"conversations":[{"value":"x"}]},{"conversations":[{"value":"hi"},{"value":"yo yo yo yo"}]}]"#
            .write(to: sg, atomically: true, encoding: .utf8)
        let t = Tokenizer()
        var rng = SeededRandom(seed: 0)
        let a = try FileDatasets.shareGPT(path: sg.path, count: 3, fixedOutputLen: nil, shuffle: true, oversample: true,
                                          requestIDPrefix: "p-", countTokens: t.tokenCount, rng: &rng)
        #expect(a.count == 3)
        #expect(a.allSatisfy {
            $0.prompt == "one two three four five" && $0.expectedOutputLen == t.tokenCount("a b c d e f")
                && $0.promptLen == t.tokenCount("one two three four five")
        })
        #expect(a.map(\.requestID) == ["p-0", "p-1", "p-2"])
        let img = dir.appendingPathComponent("cat.png")
        try Data([0x89, 0x50]).write(to: img)
        let jl = dir.appendingPathComponent("c.jsonl")
        try "{\"prompt\": \"describe\", \"image\": \"cat.png\", \"output_tokens\": 7}\n\n{\"prompt\": \"plain\"}\n".write(to: jl, atomically: true, encoding: .utf8)
        let c = try FileDatasets.customJSONL(path: jl.path, count: 2, defaultOutputLen: 256, shuffle: false,
                                             requestIDPrefix: "", countTokens: t.tokenCount, rng: &rng)
        #expect(c[0].imageURLs == ["data:image/png;base64,iVA="])
        #expect(c[0].expectedOutputLen == 7 && c[1].expectedOutputLen == 256)
        try "{\"prompt\": \"x\", \"image\": \"missing.jpg\"}\n".write(to: jl, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try FileDatasets.customJSONL(path: jl.path, count: 1, defaultOutputLen: 1, shuffle: false,
                                                                          requestIDPrefix: "", countTokens: t.tokenCount, rng: &rng) }
    }
}

final class ShapeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [[Int]] = []
    func add(_ a: Int, _ b: Int, _ c: Int, _ d: Int) { lock.lock(); items.append([a, b, c, d]); lock.unlock() }
    var all: [[Int]] { lock.lock(); defer { lock.unlock() }; return items }
}
