import Testing
@testable import BenchKit

@Suite struct ChunkSummaryTests {
    static let samples: [String] = [
        #"{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"x","choices":[{"index":0,"delta":{"content":" cat."},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}"#,
        #"{"id":"x","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":812,"total_tokens":815,"completion_tokens":3}}"#,
        #"{"choices":[{"index":0,"text":"hi \"there\"\n\u00e9\ud83d\ude00"}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a\\b","tool_calls":[{"id":"t","function":{"arguments":"{\"x\": [1, 2]}"}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"reasoning":"think"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":null}}], "usage": null}"#,
        #"{"error": {"message": "Internal server error", "type": "InternalServerError", "param": null, "code": 500}}"#,
        #"{"error": {"type": "x"}}"#,
        #" { "choices" : [ { "delta" : { "content" : "sp" } } , {"delta": {"content": "second"}} ] , "usage" : { "prompt_tokens" : 1.0e1 , "completion_tokens" : 2 } } "#,
        #"{"choices":{"not":"an array"}}"#,
        #"{"choices":[1, "x", true]}"#,
        #"{}"#,
        #"{"usage":{"completion_tokens":-1,"prompt_tokens":9223372036854775807}}"#,
        #"{"a":[[[[{"b":[]}]]]],"choices":[{"delta":{}}]}"#,
        #"{"choices":[{"index":0,"text":"héllo 猫 😀","delta":{"content":"x"},"delta":{"content":"last"}}],"n":-0.5e-3}"#,
        #"{"error":{"message":"first","message":7}}"#,
        // `_choice_has_streamed_output` cases: empty content without role (a token decoding to ""), falsy
        // values of each key, truthy non-strings, a repeated content key, a role with real content.
        #"{"choices":[{"delta":{"content":""}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","content":"","reasoning":null,"tool_calls":[]}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","tool_calls":[ ],"function_call":{ }}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","function_call":{"name":"f"}}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","content":0,"reasoning":0.0}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","content":-1e-3}}]}"#,
        #"{"choices":[{"delta":{"content":"x","content":""}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","content":"Hi"}}]}"#,
        #"{"choices":[{"delta":{"role":"assistant","content":""}, "delta":{"content":"later"}}]}"#,
        #"{"choices":[{"delta":"not an object"}]}"#,
    ]

    @Test func fastMatchesNaiveOnSamples() throws {
        for s in Self.samples {
            for isChat in [true, false] {
                let bytes = Array(s.utf8)
                let ref = try ChunkSummary.naive(bytes, isChat: isChat)
                let fast = ChunkSummary.fast(bytes, isChat: isChat)
                #expect(fast == ref, "\(s) chat=\(isChat)")
            }
        }
        let u = try #require(ChunkSummary.fast(Array(Self.samples[2].utf8), isChat: true))
        #expect(u.hasUsage && !u.hasChoices && u.promptTokens == 812 && u.completionTokens == 3)
        let t = try #require(ChunkSummary.fast(Array(Self.samples[3].utf8), isChat: false))
        #expect(t.text == "hi \"there\"\né😀")
    }

    /// Which chat chunks carry output under vLLM 0.33's `_choice_has_streamed_output`.
    @Test func streamedOutputFollowsVLLM033() throws {
        let cases: [(String, Bool)] = [
            (#"{"choices":[{"delta":{"role":"assistant","content":""}}]}"#, false),
            (#"{"choices":[{"delta":{"content":""}}]}"#, true),
            (#"{"choices":[{"delta":{"content":" cat"}}]}"#, true),
            (#"{"choices":[{"delta":{"role":"assistant","content":"","reasoning":null,"tool_calls":[]}}]}"#, false),
            (#"{"choices":[{"delta":{"reasoning":"think"}}]}"#, true),
            (#"{"choices":[{"delta":{"role":"assistant","function_call":{"name":"f"}}}]}"#, true),
            (#"{"choices":[{"delta":{"role":"assistant","content":0,"reasoning":0.0}}]}"#, false),
            (#"{"choices":[{"delta":{"content":null}}]}"#, false),
            (#"{"choices":[{"delta":{}}]}"#, false),
            (#"{"choices":[],"usage":{"completion_tokens":3}}"#, false),
        ]
        for (payload, expected) in cases {
            let bytes = Array(payload.utf8)
            #expect(try ChunkSummary.naive(bytes, isChat: true).hasStreamedOutput == expected, "\(payload)")
            #expect(ChunkSummary.fast(bytes, isChat: true)?.hasStreamedOutput == expected, "\(payload)")
        }
        // Completions: any first choice is output, empty text included.
        #expect(ChunkSummary.fast(Array(#"{"choices":[{"text":""}]}"#.utf8), isChat: false)?.hasStreamedOutput == true)
    }

    /// Every truncation and single-byte corruption: the fast path either agrees with the reference
    /// or declines (nil) so the reference decides; it never accepts what the reference rejects.
    @Test func fastNeverDisagreesOnDamagedInput() {
        var rng = SeededRandom(seed: 9)
        let junk: [UInt8] = Array("{}[]\",:\\ 0a-e".utf8)
        for s in Self.samples {
            let bytes = Array(s.utf8)
            var variants: [[UInt8]] = (0..<bytes.count).map { Array(bytes[..<$0]) }
            for _ in 0..<200 {
                var v = bytes
                v[rng.int(in: 0, v.count - 1)] = junk[rng.int(in: 0, junk.count - 1)]
                variants.append(v)
            }
            for v in variants {
                let ref = try? ChunkSummary.naive(v, isChat: true)
                if let f = ChunkSummary.fast(v, isChat: true) {
                    #expect(ref != nil && f == ref!, "\(String(decoding: v, as: UTF8.self))")
                }
            }
        }
    }

    /// Inputs OpenAIAPI's strict parser rejects: the fast path must decline them all.
    @Test func fastDeclinesWhatTheStrictParserRejects() {
        var bad: [[UInt8]] = [
            #"{"usage":{"prompt_tokens":01}}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":+1}"#,
            #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, #"{"a":"\ud800\u0041"}"#, #"{"a":NaN}"#, #"{"a":1,}"#,
            "{\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
            #"{"a":1"# + String(repeating: "0", count: 80) + "}",
        ].map { Array($0.utf8) }
        bad.append([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D])          // truncated UTF-8
        bad.append([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]) // encoded surrogate
        for v in bad {
            #expect((try? ChunkSummary.naive(v, isChat: true)) == nil, "\(v)")
            #expect(ChunkSummary.fast(v, isChat: true) == nil, "\(v)")
        }
    }
}
