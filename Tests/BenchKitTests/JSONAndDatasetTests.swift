import Foundation
import Testing
@testable import BenchKit

@Suite struct JSONTests {
    @Test func roundTripKeepsKeyOrder() throws {
        let text = #"{"z": 1, "a": [true, false, null], "m": {"s": "h\u00e9\n\"", "f": 1.5, "e": 1e-05}}"#
        let v = try JSONParser.parse(text)
        #expect(JSONWriter.string(v) == text)
        #expect(v["m"]?["s"]?.stringValue == "hé\n\"")
        #expect(JSONWriter.string(v, compact: true) == #"{"z":1,"a":[true,false,null],"m":{"s":"h\u00e9\n\"","f":1.5,"e":1e-05}}"#)
    }

    @Test func pythonFloatRepr() {
        #expect(JSONWriter.formatDouble(1) == "1.0")
        #expect(JSONWriter.formatDouble(0.1) == "0.1")
        #expect(JSONWriter.formatDouble(1e16) == "1e+16")
        #expect(JSONWriter.formatDouble(123456.789) == "123456.789")
        #expect(JSONWriter.formatDouble(0.0001) == "0.0001")
        #expect(JSONWriter.formatDouble(0.00001234) == "1.234e-05")
        #expect(JSONWriter.formatDouble(.infinity) == "Infinity")
    }

    @Test func errorsSayWhere() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"a\": }") }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1, 2") }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("1 2") }
        do { _ = try JSONParser.parse("[1, x]") } catch { #expect(error.offset == 4) }
    }

    @Test func surrogatePairs() throws {
        let v = try JSONParser.parse(#""\ud83d\ude00""#)
        #expect(v.stringValue == "😀")
        #expect(JSONWriter.string(v) == #""\ud83d\ude00""#)
    }
}

@Suite struct DatasetTests {
    @Test func tokenizerRoundTrips() {
        let t = SimpleTokenizer()
        let ids = [0, 25, 26, 701, 18_277, 5, 5]
        #expect(t.encode(t.decode(ids)) == ids)
        #expect(t.count("Hello, world! 42") == 2 + 1 + 2 + 1 + 2)   // hell|o , worl|d ! 4 2
    }

    @Test func randomDatasetHasExactLengthsAndIsSeeded() throws {
        var d = RandomDataset()
        d.inputLen = 64; d.outputLen = 16; d.rangeRatio = RangeRatio(input: 0.5, output: 0.25)
        d.requestIDPrefix = "bench-x-"
        var rng = SeededRandom(seed: 0)
        let t = SimpleTokenizer()
        let a = try d.sample(count: 50, tokenizer: t, rng: &rng)
        #expect(a.count == 50)
        for r in a {
            #expect((32...96).contains(r.promptLen))
            #expect((12...20).contains(r.expectedOutputLen))
            #expect(t.count(r.prompt) == r.promptLen)
        }
        #expect(a[3].requestID == "bench-x-3")
        var rng2 = SeededRandom(seed: 0)
        #expect(try d.sample(count: 50, tokenizer: t, rng: &rng2) == a)
        var d0 = RandomDataset(); d0.inputLen = 10; d0.outputLen = 5
        var rng3 = SeededRandom(seed: 1)
        #expect(try d0.sample(count: 5, tokenizer: t, rng: &rng3).allSatisfy { $0.promptLen == 10 && $0.expectedOutputLen == 5 })
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
        let reqs = try d.sample(count: 3, tokenizer: SimpleTokenizer(), rng: &rng) { w, h, px, q in
            seen.add(w, h, px.count, q)
            return [0xFF, 0xD8, 0xFF, 0xD9]
        }
        #expect(reqs.allSatisfy { $0.imageURLs == ["data:image/jpeg;base64,/9j/2Q=="] })
        #expect(seen.all == [[32, 16, 16 * 32 * 3, 75], [32, 16, 16 * 32 * 3, 75], [32, 16, 16 * 32 * 3, 75]])
        d.buckets = [MMBucket(height: 4, width: 4, frames: 8, probability: 1)]
        var rng2 = SeededRandom(seed: 0)
        #expect(throws: DatasetError.self) { try d.sample(count: 1, tokenizer: SimpleTokenizer(), rng: &rng2) { _, _, _, _ in [] } }
        #expect(throws: DatasetError.self) { try RandomMMDataset.parseBuckets("{}") }
    }

    @Test func requestBodiesMatchUpstreamShape() throws {
        let r = SampleRequest(prompt: "hi", promptLen: 1, expectedOutputLen: 8, imageURLs: ["data:image/jpeg;base64,AA=="], requestID: "r0")
        let extra = try RequestBuilder.mergeExtraBody(sampling: [("temperature", .double(0.5)), ("top_p", .double(0.9))],
                                                      extraBodyJSON: #"{"temperature": 0.0, "seed": 1}"#)
        let chat = RequestBuilder(backend: .openaiChat, model: "m", ignoreEOS: true, extraBody: extra)
        #expect(JSONWriter.string(chat.body(r), compact: true) ==
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,AA=="}}]}],"max_completion_tokens":8,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true,"temperature":0.0,"top_p":0.9,"seed":1}"#)
        let comp = RequestBuilder(backend: .openai, model: "m", ignoreEOS: false)
        #expect(JSONWriter.string(comp.body(r), compact: true) ==
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
        let t = SimpleTokenizer()
        var rng = SeededRandom(seed: 0)
        let a = try FileDatasets.shareGPT(path: sg.path, count: 3, fixedOutputLen: nil, shuffle: true, oversample: true,
                                          requestIDPrefix: "p-", countTokens: t.count, rng: &rng)
        #expect(a.count == 3)
        #expect(a.allSatisfy { $0.prompt == "one two three four five" && $0.expectedOutputLen == 6 && $0.promptLen == 6 })
        #expect(a.map(\.requestID) == ["p-0", "p-1", "p-2"])
        let img = dir.appendingPathComponent("cat.png")
        try Data([0x89, 0x50]).write(to: img)
        let jl = dir.appendingPathComponent("c.jsonl")
        try "{\"prompt\": \"describe\", \"image\": \"cat.png\", \"output_tokens\": 7}\n\n{\"prompt\": \"plain\"}\n".write(to: jl, atomically: true, encoding: .utf8)
        let c = try FileDatasets.customJSONL(path: jl.path, count: 2, defaultOutputLen: 256, shuffle: false,
                                             requestIDPrefix: "", countTokens: t.count, rng: &rng)
        #expect(c[0].imageURLs == ["data:image/png;base64,iVA="])
        #expect(c[0].expectedOutputLen == 7 && c[1].expectedOutputLen == 256)
        try "{\"prompt\": \"x\", \"image\": \"missing.jpg\"}\n".write(to: jl, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try FileDatasets.customJSONL(path: jl.path, count: 1, defaultOutputLen: 1, shuffle: false,
                                                                          requestIDPrefix: "", countTokens: t.count, rng: &rng) }
    }
}

final class ShapeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [[Int]] = []
    func add(_ a: Int, _ b: Int, _ c: Int, _ d: Int) { lock.lock(); items.append([a, b, c, d]); lock.unlock() }
    var all: [[Int]] { lock.lock(); defer { lock.unlock() }; return items }
}
