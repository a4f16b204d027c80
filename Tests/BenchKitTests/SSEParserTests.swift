import Testing
@testable import BenchKit

@Suite struct SSEParserTests {
    let transcript = Array("""
    data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

    : keep-alive

    data: {"choices":[{"index":0,"delta":{"content":"A"}}]}

    data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}

    data: [DONE]


    """.utf8)

    func expected() -> [SSEEvent] {
        [.data(Array(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#.utf8)),
         .data(Array(#"{"choices":[{"index":0,"delta":{"content":"A"}}]}"#.utf8)),
         .data(Array(#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}"#.utf8)),
         .done]
    }

    @Test func coalescedInOneRead() throws {
        var p = SSEParser()
        #expect(try p.feed(transcript) == expected())
        #expect(p.finish().isEmpty)
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        for cut in 0...transcript.count {
            var p = SSEParser()
            var ev = try p.feed(transcript[..<cut])
            ev += try p.feed(transcript[cut...])
            ev += p.finish()
            #expect(ev == expected(), "split at \(cut)")
        }
    }

    @Test func oneByteAtATime() throws {
        var p = SSEParser()
        var ev: [SSEEvent] = []
        for b in transcript { ev += try p.feed([b]) }
        #expect(ev == expected())
    }

    @Test func crlfAndNoSpaceAndMultiLineData() throws {
        var p = SSEParser()
        let ev = try p.feed(Array("data:{\"a\":1}\r\n\r\nevent: x\r\nid: 7\r\ndata: l1\r\ndata: l2\r\n\r\ndata: [DONE]\r\n\r\n".utf8))
        #expect(ev == [.data(Array("{\"a\":1}".utf8)), .data(Array("l1\nl2".utf8)), .done])
    }

    @Test func unterminatedTrailingEventIsFlushedAtEOF() throws {
        var p = SSEParser()
        #expect(try p.feed(Array("data: {\"x\":2}".utf8)).isEmpty)
        #expect(p.finish() == [.data(Array("{\"x\":2}".utf8))])
    }

    @Test func oversizedEventIsAnError() {
        var p = SSEParser(maxEventBytes: 10)
        #expect(throws: SSEParser.TooLarge.self) { try p.feed(Array("data: 0123456789abcdef".utf8)) }
    }
}

@Suite struct StreamRecorderTests {
    func chunk(_ content: String?, role: Bool = false) -> [UInt8] {
        var delta = role ? #""role":"assistant","content":"""# : ""
        if let c = content { delta = #""content":"\#(c)""# }
        return Array(#"{"id":"x","choices":[{"index":0,"delta":{\#(delta)},"finish_reason":null}]}"#.utf8)
    }
    let usage = Array(#"{"id":"x","choices":[],"usage":{"prompt_tokens":812,"completion_tokens":3,"total_tokens":815}}"#.utf8)

    /// vLLM 0.33.0 (`_choice_has_streamed_output`): the opening role chunk is not a token; TTFT is the first
    /// chunk with output, each later one is an ITL sample. Found by running the real `vllm bench serve` 0.33.0
    /// against scripts/vllm-parity.py's control server (which sends the role chunk at TTFT, tokens after).
    @Test func roleChunkIsNotATokenAndEveryLaterChunkIsAnITLSample() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 10)
        r.start(at: 100.0)
        r.handle(chunk(nil, role: true), at: 100.25)
        r.handle(chunk("A"), at: 100.5)
        r.handle(chunk(" cat"), at: 100.75)
        r.handle(chunk("."), at: 101.0)
        r.handle(usage, at: 101.5)
        let o = r.finish()
        #expect(o.success)
        #expect(o.ttft == 0.5)
        #expect(o.itl == [0.25, 0.25])
        #expect(o.latency == 1.0)                        // the usage chunk does not extend E2EL
        #expect(o.outputTokens == 3)
        #expect(o.promptLen == 812)                      // 0.33: server prompt_tokens
        #expect(o.generatedText == "A cat.")
        #expect(approx(o.itl.reduce(0, +), o.latency - o.ttft))
    }

    /// `--compat v0.11`: any chunk with `choices` counts, the role chunk included.
    @Test func v011CountsTheRoleChunk() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 10, compat: .v0_11)
        r.start(at: 0)
        r.handle(chunk(nil, role: true), at: 0.25)
        r.handle(chunk("A"), at: 0.5)
        let o = r.finish()
        #expect(o.ttft == 0.25)
        #expect(o.itl == [0.25])
    }

    /// Only a role chunk (then nothing): no output was streamed, so the request failed, as in vLLM 0.33.
    @Test func aStreamWithOnlyTheRoleChunkFails() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 10)
        r.start(at: 0)
        r.handle(chunk(nil, role: true), at: 0.25)
        r.handle(usage, at: 0.5)
        #expect(!r.finish().success)
    }

    @Test func v011EndsAtUsageChunkAndKeepsDatasetPromptLen() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 10, compat: .v0_11)
        r.start(at: 0)
        r.handle(chunk("A"), at: 1)
        r.handle(usage, at: 2)
        let o = r.finish()
        #expect(o.latency == 2)
        #expect(o.promptLen == 10)
    }

    @Test func noChunkIsAFailureWithUpstreamMessage() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 1)
        r.start(at: 0)
        r.handle(Array(#"{"error":{"message":"Internal server error","type":"InternalServerError","param":null,"code":500}}"#.utf8), at: 1)
        let o = r.finish()
        #expect(!o.success)
        #expect(o.error.hasPrefix("Never received a valid chunk to calculate TTFT.This response will be marked as failed!"))
        #expect(o.error.contains("Internal server error"))
    }

    @Test func completionsUsesText() {
        var r = StreamRecorder(isChat: false, datasetPromptLen: 1)
        r.start(at: 0)
        r.handle(Array(#"{"choices":[{"index":0,"text":"hi"}]}"#.utf8), at: 0.1)
        #expect(r.finish().generatedText == "hi")
    }

    @Test func badJSONFailsTheRequest() {
        var r = StreamRecorder(isChat: true, datasetPromptLen: 1)
        r.start(at: 0)
        r.handle(chunk("A"), at: 0.1)
        r.handle(Array("{nope".utf8), at: 0.2)
        let o = r.finish()
        #expect(!o.success)
        #expect(o.error.contains("invalid JSON"))
    }
}
