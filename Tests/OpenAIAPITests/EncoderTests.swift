import Testing
@testable import OpenAIAPI

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Splits an SSE byte stream on blank lines (as vllm bench does), dropping empty pieces.
func sseFrames(_ s: String) -> [String] {
    var frames: [String] = []
    var rest = Substring(s)
    while let r = rest.firstRange(of: "\n\n") {
        if r.lowerBound > rest.startIndex { frames.append(String(rest[..<r.lowerBound])) }
        rest = rest[r.upperBound...]
    }
    if !rest.isEmpty { frames.append(String(rest)) }
    return frames
}

@Suite struct ChatStreamEncoderTests {
    let head = #"data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":["#

    /// The transcript of openai-api.md §2.6.3, byte for byte.
    @Test func vllmTranscriptWithIncludeUsage() {
        var enc = ChatStreamEncoder(id: "chatcmpl-abc", model: "my-vlm", created: 1767225600, includeUsage: true,
                                    continuousUsageStats: false)
        var stream: [UInt8] = []
        stream += enc.first(content: "A", usage: Usage(promptTokens: 812, completionTokens: 1))
        stream += enc.finish(" cat.", reason: .stop, stopReason: nil, usage: Usage(promptTokens: 812, completionTokens: 3))
        stream += enc.usage(Usage(promptTokens: 812, completionTokens: 3))
        stream += ChatStreamEncoder.done
        let expected = """
        data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":[{"index":0,"delta":{"content":"A"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":[{"index":0,"delta":{"content":" cat."},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

        data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1767225600,"model":"my-vlm","choices":[],"usage":{"prompt_tokens":812,"total_tokens":815,"completion_tokens":3}}

        data: [DONE]


        """
        #expect(text(stream) == expected)
    }

    @Test func continuousUsageStatsOnEveryChunk() {
        var enc = ChatStreamEncoder(id: "chatcmpl-abc", model: "my-vlm", created: 1767225600, includeUsage: true,
                                    continuousUsageStats: true)
        let first = text(enc.first(content: "Hi", usage: Usage(promptTokens: 10, completionTokens: 1)))
        #expect(first == head + #"{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":10,"completion_tokens":0}}"# + "\n\n"
            + head + #"{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":11,"completion_tokens":1}}"# + "\n\n")
        let mid = text(enc.content("\"x\"\n", usage: Usage(promptTokens: 10, completionTokens: 2)))
        #expect(mid == head + #"{"index":0,"delta":{"content":"\"x\"\n"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":12,"completion_tokens":2}}"# + "\n\n")
        let last = text(enc.finish(reason: .length, usage: Usage(promptTokens: 10, completionTokens: 3)))
        #expect(last == head + #"{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length","stop_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":13,"completion_tokens":3}}"# + "\n\n")
    }

    @Test func continuousUsageIgnoredWithoutIncludeUsage() {
        var enc = ChatStreamEncoder(id: "chatcmpl-abc", model: "my-vlm", created: 1767225600, includeUsage: false,
                                    continuousUsageStats: true)
        _ = enc.role()
        let c = text(enc.content("x", usage: Usage(promptTokens: 1, completionTokens: 1)))
        #expect(c == head + #"{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]}"# + "\n\n")
    }

    @Test func roleChunkIsNeverSkipped() {
        var enc = ChatStreamEncoder(id: "chatcmpl-abc", model: "my-vlm", created: 1767225600, includeUsage: false,
                                    continuousUsageStats: false)
        // max_tokens=1: the first output is also the last.
        let out = text(enc.finish("Z", reason: .stop, stopReason: .string("\n\n"), usage: nil))
        #expect(out == head + #"{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
            + head + #"{"index":0,"delta":{"content":"Z"},"logprobs":null,"finish_reason":"stop","stop_reason":"\n\n"}]}"# + "\n\n")
        #expect(enc.sentRole)
        let again = text(enc.content("y", usage: nil))
        #expect(!again.contains("role"))
    }

    @Test func emptyDeltasAreSkipped() {
        var enc = ChatStreamEncoder(id: "i", model: "m", created: 1, includeUsage: false, continuousUsageStats: false)
        let first = text(enc.content("", usage: nil))
        #expect(first == #"data: {"id":"i","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"# + "\n\n")
        #expect(enc.content("", usage: nil).isEmpty)
        let c = CompletionStreamEncoder(id: "i", model: "m", created: 1, includeUsage: false, continuousUsageStats: false)
        #expect(c.text("", usage: nil).isEmpty)
        #expect(!c.finish("", reason: .stop, usage: nil).isEmpty)
    }

    @Test func stopReasonTokenID() {
        var enc = ChatStreamEncoder(id: "i", model: "m", created: 1, includeUsage: false, continuousUsageStats: false)
        _ = enc.role()
        #expect(text(enc.finish(reason: .stop, stopReason: .tokenID(151645), usage: nil)).contains(#""finish_reason":"stop","stop_reason":151645}]}"#))
    }

    @Test func errorAndDoneEvents() {
        let e = ChatStreamEncoder.error(.internal("engine failed"))
        #expect(text(e) == #"data: {"error":{"message":"engine failed","type":"server_error","param":null,"code":null}}"# + "\n\n")
        #expect(text(ChatStreamEncoder.done) == "data: [DONE]\n\n")
    }

    @Test func everyEventIsOneLineOfValidJSON() throws {
        var enc = ChatStreamEncoder(id: "chatcmpl-\"q\"", model: "m/é", created: 5, includeUsage: true,
                                    continuousUsageStats: true)
        var events: [[UInt8]] = []
        events.append(enc.first(content: "a\nb", usage: Usage(promptTokens: 3, completionTokens: 1)))
        events.append(enc.content("\u{1}😀\\", usage: Usage(promptTokens: 3, completionTokens: 2)))
        events.append(enc.finish("\"", reason: .stop, stopReason: .string("</s>"), usage: Usage(promptTokens: 3, completionTokens: 3)))
        events.append(enc.usage(Usage(promptTokens: 3, completionTokens: 3)))
        events.append(ChatStreamEncoder.error(.invalidRequest("bad \"x\"", param: "messages[0]")))
        var all: [UInt8] = []
        for e in events { all += e }
        let frames = sseFrames(text(all))
        #expect(frames.count == 6)
        var contents: [String] = []
        for frame in frames {
            #expect(frame.hasPrefix("data: "))
            #expect(!frame.contains("\n"))
            let json = try JSONParser.parse(String(frame.dropFirst(6)))
            #expect(json["error"] != nil || json["id"] == .string("chatcmpl-\"q\""))
            if let c = json["choices"]?[0]?["delta"]?["content"]?.stringValue { contents.append(c) }
        }
        #expect(contents == ["", "a\nb", "\u{1}😀\\", "\""])
        let usageChunk = try JSONParser.parse(String(frames[4].dropFirst(6)))
        #expect(usageChunk["choices"] == .array([]))
        #expect(usageChunk["usage"]?["total_tokens"] == .int(6))
    }
}

@Suite struct CompletionStreamEncoderTests {
    let head = #"data: {"id":"cmpl-1","object":"text_completion","created":7,"model":"m","choices":["#

    @Test func chunksMatchVLLM() {
        let enc = CompletionStreamEncoder(id: "cmpl-1", model: "m", created: 7, includeUsage: true,
                                          continuousUsageStats: false)
        #expect(text(enc.text(" Paris", usage: nil)) == head
            + #"{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"stop_reason":null,"prompt_token_ids":null,"token_ids":null}],"usage":null,"system_fingerprint":null,"metrics":null}"# + "\n\n")
        #expect(text(enc.finish(".", reason: .length, usage: nil)) == head
            + #"{"index":0,"text":".","logprobs":null,"finish_reason":"length","stop_reason":null,"prompt_token_ids":null,"token_ids":null}],"usage":null,"system_fingerprint":null,"metrics":null}"# + "\n\n")
        #expect(text(enc.usage(Usage(promptTokens: 6, completionTokens: 3))) == head
            + #"],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}}"# + "\n\n")
    }

    @Test func continuousUsage() throws {
        let enc = CompletionStreamEncoder(id: "cmpl-1", model: "m", created: 7, includeUsage: true,
                                          continuousUsageStats: true)
        let chunk = text(enc.text("x", usage: Usage(promptTokens: 2, completionTokens: 1)))
        #expect(chunk.contains(#""usage":{"prompt_tokens":2,"total_tokens":3,"completion_tokens":1,"prompt_tokens_details":null}"#))
        let json = try JSONParser.parse(String(chunk.dropFirst(6).dropLast(2)))
        #expect(json["choices"]?[0]?["text"] == .string("x"))
    }
}

@Suite struct ResponseEncoderTests {
    @Test func chatCompletion() throws {
        let body = ResponseEncoder.chatCompletion(id: "chatcmpl-3f1c", model: "my-vlm", created: 1767225600,
                                                  content: "A cat on a sofa.", finishReason: .stop,
                                                  usage: Usage(promptTokens: 812, completionTokens: 7))
        #expect(text(body) == #"{"id":"chatcmpl-3f1c","object":"chat.completion","created":1767225600,"model":"my-vlm","choices":[{"index":0,"message":{"role":"assistant","content":"A cat on a sofa.","refusal":null,"annotations":null,"audio":null,"function_call":null,"tool_calls":[],"reasoning":null},"logprobs":null,"finish_reason":"stop","stop_reason":null,"token_ids":null}],"service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":812,"total_tokens":819,"completion_tokens":7,"prompt_tokens_details":null},"prompt_logprobs":null,"prompt_token_ids":null,"kv_transfer_params":null}"#)
        let v = try JSONParser.parse(body)
        #expect(v["choices"]?[0]?["message"]?["content"] == .string("A cat on a sofa."))
        #expect(v["usage"]?["total_tokens"] == .int(819))
    }

    @Test func completion() throws {
        let body = ResponseEncoder.completion(id: "cmpl-9a1", model: "my-vlm", created: 1767225600, text: " Paris.",
                                              finishReason: .length, stopReason: nil,
                                              usage: Usage(promptTokens: 6, completionTokens: 3))
        #expect(text(body) == #"{"id":"cmpl-9a1","object":"text_completion","created":1767225600,"model":"my-vlm","choices":[{"index":0,"text":" Paris.","logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null,"prompt_logprobs":null,"prompt_token_ids":null}],"service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3,"prompt_tokens_details":null},"kv_transfer_params":null}"#)
        _ = try JSONParser.parse(body)
    }

    @Test func modelList() throws {
        let card = ModelCard(id: "my-vlm", created: 1767225600, root: "Qwen/Qwen2.5-VL-7B-Instruct", maxModelLen: 32768,
                             permissionID: "modelperm-1")
        let body = ResponseEncoder.modelList([card])
        #expect(text(body) == #"{"object":"list","data":[{"id":"my-vlm","object":"model","created":1767225600,"owned_by":"vllm","root":"Qwen/Qwen2.5-VL-7B-Instruct","parent":null,"max_model_len":32768,"permission":[{"id":"modelperm-1","object":"model_permission","created":1767225600,"allow_create_engine":false,"allow_sampling":true,"allow_logprobs":true,"allow_search_indices":false,"allow_view":true,"allow_fine_tuning":false,"organization":"*","group":null,"is_blocking":false}]}]}"#)
        let v = try JSONParser.parse(body)
        #expect(v["data"]?[0]?["root"] == .string("Qwen/Qwen2.5-VL-7B-Instruct"))
        #expect(text(ResponseEncoder.modelList([])) == #"{"object":"list","data":[]}"#)
    }

    @Test func tokenizeDetokenizeVersion() {
        #expect(text(ResponseEncoder.tokenize(tokens: [1, 22, 333], maxModelLen: 128)) == #"{"count":3,"max_model_len":128,"tokens":[1,22,333],"token_strs":null}"#)
        #expect(text(ResponseEncoder.tokenize(tokens: [5], maxModelLen: 9, tokenStrings: ["\"a"])) == #"{"count":1,"max_model_len":9,"tokens":[5],"token_strs":["\"a"]}"#)
        #expect(text(ResponseEncoder.detokenize(prompt: "hi\n")) == #"{"prompt":"hi\n"}"#)
        #expect(text(ResponseEncoder.version("0.1.0")) == #"{"version":"0.1.0"}"#)
    }

    @Test func requestIDs() {
        let c = RequestID.chat()
        #expect(c.hasPrefix("chatcmpl-") && c.count == 9 + 32)
        #expect(c.dropFirst(9).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(RequestID.chat() != c)
        #expect(RequestID.completion().hasPrefix("cmpl-"))
        #expect(RequestID.chat("bench-7") == "chatcmpl-bench-7")
        #expect(RequestID.modelPermission().hasPrefix("modelperm-"))
    }

    /// Every one of the 32 digits is random: 2000 ids are distinct and no digit position is constant.
    @Test func requestIDsAreUniqueAndRandomInEveryDigit() {
        let ids = (0..<2000).map { _ in RequestID.randomHex() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } })
        for position in 0..<32 {
            let seen = Set(ids.map { Array($0.utf8)[position] })
            #expect(seen.count > 1, "digit \(position) is always \(seen)")
        }
    }
}

@Suite struct APIErrorTests {
    @Test func envelopes() throws {
        #expect(text(APIError.invalidRequest("`n` bad", param: "n").body()) == #"{"error":{"message":"`n` bad","type":"invalid_request_error","param":"n","code":null}}"#)
        let nf = APIError.modelNotFound("gpt-4")
        #expect(nf.status == 404)
        #expect(text(nf.body()) == #"{"error":{"message":"The model `gpt-4` does not exist.","type":"invalid_request_error","param":"model","code":"model_not_found"}}"#)
        let auth = APIError.unauthorized()
        #expect(auth.status == 401 && auth.type == "authentication_error" && auth.code == "invalid_api_key")
        let ctx = APIError.contextLengthExceeded(promptTokens: 100, maxTokens: 50, maxModelLen: 128)
        #expect(ctx.status == 400 && ctx.code == "context_length_exceeded")
        #expect(ctx.message.contains("maximum context length is 128 tokens") && ctx.message.contains("total of 150 tokens"))
        #expect(APIError.maxTokensTooLarge(999, maxModelLen: 128, param: "max_completion_tokens").message
            == "max_completion_tokens=999 cannot be greater than max_model_len=128. Please request fewer output tokens.")
        #expect(APIError.serviceUnavailable().status == 503)
        #expect(APIError.internal().status == 500)
        #expect(APIError.payloadTooLarge(limit: 10).status == 413)
        #expect(APIError.notImplemented("x").status == 501)
        let v = try JSONParser.parse(APIError.invalidRequest("a\u{0}\"b").body())
        #expect(v["error"]?["message"] == .string("a\u{0}\"b"))
    }
}
