import Foundation
import OpenAIAPI
import Testing
@testable import VLServeKit

/// The engine hands outputs to each session's event loop, which encodes them; with the cost model at
/// zero the engine outruns the loop, so one drain often encodes several steps at once.
@Suite struct StreamHandOverTests {
    @Test func concurrentStreamsCarryEveryTokenInOrder() async throws {
        try await withServer() { _, port in
            let tokens = 300
            let options = ",\"max_tokens\":\(tokens),\"ignore_eos\":true,\"seed\":11"
            let whole = try await request(port, "POST", "/v1/chat/completions", body: chatBody(text: "Count", extra: options))
            let expected = try #require(try whole.json()["choices"]?[0]?["message"]?["content"]?.stringValue)
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await request(port, "POST", "/v1/chat/completions", body: chatBody(
                            text: "Count", extra: options + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"))
                    }
                }
                for try await response in group {
                    #expect(response.status == 200)
                    let events = response.events
                    #expect(events.last == "[DONE]")
                    let chunks = try events.dropLast().map { try JSONParser.parse($0) }
                    // role chunk, 299 content chunks, the finish chunk with the last token, usage chunk
                    try #require(chunks.count == tokens + 2)
                    #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == .string("assistant"))
                    let finishes = chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue }
                    #expect(finishes == ["length"])
                    #expect(chunks[tokens]["choices"]?[0]?["finish_reason"] == .string("length"))
                    #expect(chunks.last?["usage"]?["completion_tokens"] == .int(Int64(tokens)))
                    let text = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
                    #expect(text == expected)
                }
            }
        }
    }

    @Test func streamedCompletionEchoesThePromptOnce() async throws {
        try await withServer() { _, port in
            let body = "{\"model\":\"test-vlm\",\"prompt\":\"Once upon\",\"max_tokens\":40,\"ignore_eos\":true,\"seed\":5"
            let whole = try await request(port, "POST", "/v1/completions", body: body + ",\"echo\":true}")
            let expected = try #require(try whole.json()["choices"]?[0]?["text"]?.stringValue)
            #expect(expected.hasPrefix("Once upon"))
            let streamed = try await request(port, "POST", "/v1/completions", body: body + ",\"echo\":true,\"stream\":true}")
            let chunks = try streamed.events.dropLast().map { try JSONParser.parse($0) }
            let text = chunks.compactMap { $0["choices"]?[0]?["text"]?.stringValue }.joined()
            #expect(text == expected)
            #expect(streamed.events.last == "[DONE]")
        }
    }

    @Test func jsonMediaTypes() {
        for accepted in ["application/json", "Application/JSON; charset=utf-8", " application/json ", "\tapplication/json\t;x",
                         "application/vnd.api+json", "application/problem+JSON;charset=utf-8"] {
            #expect(VLServeApp.isJSONMediaType(accepted), "\(accepted)")
        }
        for rejected in ["", "json", "text/plain", "application/jsonx", "xapplication/json", "application/json5",
                         "application/x-www-form-urlencoded", "+jso", "application/ json"] {
            #expect(!VLServeApp.isJSONMediaType(rejected), "\(rejected)")
        }
    }
}
