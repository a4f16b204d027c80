import Testing
@testable import OpenAIAPI

/// Mutated and truncated request bodies never crash the decoders: each gives a request or a 400,
/// and the word-at-a-time and byte-at-a-time scanners agree on every mutant.
@Suite struct RobustnessTests {
    static let seeds: [String] = [
        #"{"model":"my-vlm","messages":[{"role":"user","content":[{"type":"text","text":"Describe \"this\"\n"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="}}]}],"max_completion_tokens":128,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true}"#,
        #"{"messages":[{"role":"system","content":"é中😀\u00e9\ud83d\ude00"},{"role":"user","content":"hi"}],"stop":["a","b"],"temperature":0.7,"top_p":0.9,"top_k":20,"seed":-1,"n":1,"max_tokens":1e2}"#,
        #"{"prompt":[1,2,3],"max_tokens":16,"logprobs":null,"stream":false,"echo":true}"#,
    ]

    @Test func mutatedBodiesNeverCrash() {
        var rng = SplitMix64(seed: 2026)
        let interesting: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x80, 0xC3, 0xED, 0xFF, 0x30, 0x2D, 0x65, 0x75]
        var accepted = 0
        var rejected = 0
        for i in 0..<20_000 {
            var body = Array(Self.seeds[i % Self.seeds.count].utf8)
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                guard !body.isEmpty else { break }
                let at = Int(rng.next() % UInt64(body.count))
                switch rng.next() % 5 {
                case 0: body[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: body.remove(at: at)
                case 2: body.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: at)
                case 3: body.removeSubrange(at...)
                default: body.insert(contentsOf: body[at..<min(body.count, at + 8)], at: at)
                }
            }
            do {
                _ = try ChatCompletionRequest.decode(body)
                accepted += 1
            } catch {
                #expect(error.status == 400)
                rejected += 1
            }
            do { _ = try CompletionRequest.decode(body) } catch { #expect(error.status == 400) }
            let fast = body.withUnsafeBytes { raw in Result { () throws(JSONParseError) in
                try JSONParser.parse(raw, limits: .default, wordScan: true) } }
            let naive = body.withUnsafeBytes { raw in Result { () throws(JSONParseError) in
                try JSONParser.parse(raw, limits: .default, wordScan: false) } }
            switch (fast, naive) {
            case let (.success(a), .success(b)): #expect(a == b)
            case let (.failure(a), .failure(b)): #expect(a == b)
            default: Issue.record("scanners disagree")
            }
        }
        // Both outcomes occur, so the mutants reach the decoders' accepting paths as well as their errors.
        #expect(accepted > 0 && rejected > 0, "accepted \(accepted), rejected \(rejected)")
    }

    /// Every prefix of a valid body is rejected with an offset inside the prefix (or accepted only when complete).
    @Test func everyTruncationIsA400() {
        let body = Array(Self.seeds[0].utf8)
        for n in 0..<body.count {
            let prefix = Array(body[..<n])
            do {
                _ = try JSONParser.parse(prefix)
                Issue.record("prefix of length \(n) parsed")
            } catch {
                #expect(error.offset <= n)
            }
        }
        #expect((try? JSONParser.parse(body)) != nil)
    }
}
