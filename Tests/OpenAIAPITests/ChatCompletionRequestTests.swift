import Testing
@testable import OpenAIAPI

func chatError(_ json: String) -> APIError? { chatError(Array(json.utf8)) }

func chatError(_ bytes: [UInt8]) -> APIError? {
    do {
        _ = try ChatCompletionRequest.decode(bytes)
        return nil
    } catch {
        return error
    }
}

/// A valid body with `extra` spliced in as additional top-level members.
func chatBody(_ extra: String) -> String {
    #"{"model":"m","messages":[{"role":"user","content":"hi"}]"# + (extra.isEmpty ? "" : "," + extra) + "}"
}

@Suite struct ChatCompletionRequestTests {
    @Test func vllmBenchChatBody() throws {
        let body = #"{"model":"my-vlm","messages":[{"role":"user","content":[{"type":"text","text":"Describe."},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}],"max_completion_tokens":128,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true,"temperature":0.0,"repetition_penalty":1.0}"#
        let r = try ChatCompletionRequest.decode(Array(body.utf8))
        #expect(r.model == "my-vlm")
        #expect(r.messages == [ChatMessage(role: "user", content: [
            .text("Describe."), .imageURL(url: "data:image/jpeg;base64,/9j/4AAQ", detail: nil),
        ])])
        #expect(r.stream)
        #expect(r.streamOptions == StreamOptions(includeUsage: true, continuousUsageStats: false))
        #expect(r.sampling.maxTokens == 128)
        #expect(r.sampling.maxTokensParam == "max_completion_tokens")
        #expect(r.sampling.ignoreEOS)
        #expect(r.sampling.temperature == 0)
        #expect(r.sampling.repetitionPenalty == 1)
        #expect(r.imageCount == 1)
    }

    @Test func guidellmChatBody() throws {
        let body = #"{"model":"my-vlm","stream":true,"stream_options":{"include_usage":true,"continuous_usage_stats":true},"max_completion_tokens":64,"max_tokens":64,"stop":null,"ignore_eos":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}},{"type":"text","text":"b"}]}]}"#
        let r = try ChatCompletionRequest.decode(Array(body.utf8))
        #expect(r.streamOptions.wantsContinuousUsage)
        #expect(r.sampling.stop == [])
        #expect(r.sampling.maxTokens == 64)
        #expect(r.messages.count == 2)
        #expect(r.messages[0] == ChatMessage(role: "system", text: "Be brief."))
        #expect(r.messages[1].content.count == 3)
        #expect(r.imageCount == 1)
    }

    @Test func openAIClientBodyWithDefaultsAndUnknownFields() throws {
        let body = #"{"messages":[{"role":"developer","content":"x"},{"role":"assistant","content":null,"tool_calls":[]},{"role":"user","name":"bob","content":"y"}],"model":null,"metadata":{"a":"b"},"store":false,"service_tier":"auto","tools":[],"tool_choice":"none","reasoning_effort":"low","user":"u1","stream_options":null,"response_format":{"type":"text"},"prompt_cache_key":"k","modalities":["text"],"logprobs":false,"top_logprobs":0,"seed":-5,"n":1,"stop":"\n","frequency_penalty":0.5,"presence_penalty":-1,"top_k":-1,"top_p":1,"min_p":0.1,"request_id":"rid","stop_token_ids":[151645],"min_tokens":2,"x_unknown":{"deep":[1,2,{"k":null}]}}"#
        let r = try ChatCompletionRequest.decode(Array(body.utf8))
        #expect(r.model == nil)
        #expect(r.stream == false)
        #expect(r.messages[1] == ChatMessage(role: "assistant", content: []))
        #expect(r.messages[2].name == "bob")
        #expect(r.user == "u1")
        #expect(r.requestID == "rid")
        let s = r.sampling
        #expect(s.maxTokens == nil)
        #expect(s.seed == -5)
        #expect(s.stop == ["\n"])
        #expect(s.stopTokenIDs == [151645])
        #expect(s.topK == nil)
        #expect(s.topP == 1)
        #expect(s.minP == 0.1)
        #expect(s.minTokens == 2)
        #expect(s.frequencyPenalty == 0.5 && s.presencePenalty == -1)
        #expect(s.temperature == nil)
    }

    @Test func contentPartForms() throws {
        let body = #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":"http://h/a.png"},{"image_url":{"url":"file:///x.jpg","detail":"low"}},{"type":"input_image","image_url":"data:image/png;base64,AA"},{"text":"t"},{"type":"text","text":""}]}]}"#
        let r = try ChatCompletionRequest.decode(Array(body.utf8))
        #expect(r.messages[0].content == [
            .imageURL(url: "http://h/a.png", detail: nil), .imageURL(url: "file:///x.jpg", detail: "low"),
            .imageURL(url: "data:image/png;base64,AA", detail: nil), .text("t"), .text(""),
        ])
    }

    @Test func maxTokensPreferenceAndIntegralDoubles() throws {
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""max_tokens":7"#).utf8)).sampling.maxTokens == 7)
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""max_tokens":7,"max_completion_tokens":null"#).utf8)).sampling.maxTokens == 7)
        let both = try ChatCompletionRequest.decode(Array(chatBody(#""max_completion_tokens":9,"max_tokens":7"#).utf8))
        #expect(both.sampling.maxTokens == 9 && both.sampling.maxTokensParam == "max_completion_tokens")
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""max_tokens":5.0"#).utf8)).sampling.maxTokens == 5)
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""top_k":0"#).utf8)).sampling.topK == nil)
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""top_k":40"#).utf8)).sampling.topK == 40)
        #expect(try ChatCompletionRequest.decode(Array(chatBody(#""stream":false,"stream_options":{}"#).utf8)).stream == false)
    }

    /// Each hostile or invalid body: a 400 whose `param` names the field.
    @Test(arguments: [
        // Missing / empty / wrongly typed messages.
        (#"{"model":"m"}"#, "messages"),
        (#"{"model":"m","messages":null}"#, "messages"),
        (#"{"model":"m","messages":[]}"#, "messages"),
        (#"{"model":"m","messages":"hi"}"#, "messages"),
        (#"{"messages":[1]}"#, "messages[0]"),
        (#"{"messages":[{"content":"x"}]}"#, "messages[0].role"),
        (#"{"messages":[{"role":5,"content":"x"}]}"#, "messages[0].role"),
        (#"{"messages":[{"role":"robot","content":"x"}]}"#, "messages[0].role"),
        (#"{"messages":[{"role":"user","content":5}]}"#, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":{"type":"text"}}]}"#, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":"a","name":3}]}"#, "messages[0].name"),
        (#"{"messages":[{"role":"user","content":["x"]}]}"#, "messages[0].content[0]"),
        (#"{"messages":[{"role":"user","content":[{}]}]}"#, "messages[0].content[0].type"),
        (#"{"messages":[{"role":"user","content":[{"type":7}]}]}"#, "messages[0].content[0].type"),
        (#"{"messages":[{"role":"user","content":[{"type":"text"}]}]}"#, "messages[0].content[0].text"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":null}]}]}"#, "messages[0].content[0].text"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":1}]}]}"#, "messages[0].content[0].text"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio","input_audio":{"data":"AA","format":"wav"}}]}]}"#, "messages[0].content[1].type"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"video_url","video_url":{"url":"x"}}]}]}"#, "messages[0].content[1].type"),
        (#"{"messages":[{"role":"user","content":[{"type":"hologram"}]}]}"#, "messages[0].content[0].type"),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url"}]}]}"#, "messages[0].content[0].image_url"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{}}]}]}"#, "messages[0].content[1].image_url.url"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":5}}]}]}"#, "messages[0].content[1].image_url.url"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":""}}]}]}"#, "messages[0].content[1].image_url.url"),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":7}]}]}"#, "messages[0].content[0].image_url"),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:,","detail":"ultra"}}]}]}"#, "messages[0].content[0].image_url.detail"),
        (#"{"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"},{"type":"image_url","image_url":{"url":null}}]}]}"#, "messages[1].content[1].image_url.url"),
    ])
    func messageErrors(body: String, param: String) throws {
        let e = try #require(chatError(body))
        #expect(e.status == 400)
        #expect(e.type == "invalid_request_error")
        #expect(e.param == param, "\(e.message)")
    }

    @Test(arguments: [
        (#""model":5"#, "model"),
        (#""stream":"yes""#, "stream"),
        (#""stream_options":{"include_usage":true}"#, "stream_options"),
        (#""stream":true,"stream_options":{"include_usage":"x"}"#, "stream_options.include_usage"),
        (#""stream":true,"stream_options":{"continuous_usage_stats":1}"#, "stream_options.continuous_usage_stats"),
        (#""stream":true,"stream_options":[]"#, "stream_options"),
        (#""max_tokens":0"#, "max_tokens"),
        (#""max_completion_tokens":-1"#, "max_completion_tokens"),
        (#""max_tokens":1180591620717411303424"#, "max_tokens"),
        (#""max_tokens":1e400"#, "max_tokens"),
        (#""max_tokens":1.5"#, "max_tokens"),
        (#""max_tokens":"5""#, "max_tokens"),
        (#""max_tokens":true"#, "max_tokens"),
        (#""max_completion_tokens":[1]"#, "max_completion_tokens"),
        (#""temperature":-0.1"#, "temperature"),
        (#""temperature":1e400"#, "temperature"),
        (#""temperature":"hot""#, "temperature"),
        (#""top_p":0"#, "top_p"),
        (#""top_p":1.5"#, "top_p"),
        (#""top_k":-2"#, "top_k"),
        (#""top_k":2.5"#, "top_k"),
        (#""min_p":2"#, "min_p"),
        (#""n":2"#, "n"),
        (#""n":0"#, "n"),
        (#""stop":5"#, "stop"),
        (#""stop":"""#, "stop"),
        (#""stop":[""]"#, "stop[0]"),
        (#""stop":["a",3]"#, "stop[1]"),
        (#""stop_token_ids":[1,"a"]"#, "stop_token_ids[1]"),
        (#""stop_token_ids":[-1]"#, "stop_token_ids[0]"),
        (#""stop_token_ids":7"#, "stop_token_ids"),
        (#""seed":18446744073709551616"#, "seed"),
        (#""seed":"1""#, "seed"),
        (#""max_tokens":5,"min_tokens":6"#, "min_tokens"),
        (#""min_tokens":-1"#, "min_tokens"),
        (#""logprobs":true"#, "logprobs"),
        (#""logprobs":1"#, "logprobs"),
        (#""top_logprobs":3"#, "top_logprobs"),
        (#""logprobs":true,"top_logprobs":21"#, "top_logprobs"),
        (#""presence_penalty":3"#, "presence_penalty"),
        (#""frequency_penalty":-2.5"#, "frequency_penalty"),
        (#""repetition_penalty":0"#, "repetition_penalty"),
        (#""ignore_eos":"true""#, "ignore_eos"),
        (#""use_beam_search":true"#, "use_beam_search"),
        (#""tools":[{"type":"function","function":{"name":"f"}}]"#, "tools"),
        (#""response_format":{"type":"json_object"}"#, "response_format.type"),
        (#""response_format":"json""#, "response_format"),
        (#""user":5"#, "user"),
        (#""continue_final_message":true"#, "continue_final_message"),
    ])
    func fieldErrors(extra: String, param: String) throws {
        let e = try #require(chatError(chatBody(extra)), "accepted: \(extra)")
        #expect(e.status == 400)
        #expect(e.param == param, "\(e.message)")
        #expect(e.message.contains(param.split(separator: "[").first.map(String.init) ?? param)
                || e.message.contains("Stream options"), "\(e.message)")
    }

    @Test func messagesSayWhatWasExpected() throws {
        #expect(chatError(chatBody(#""temperature":"hot""#))?.message == "`temperature` must be a number, got string.")
        #expect(chatError(chatBody(#""max_tokens":1180591620717411303424"#))?.message
            == "`max_tokens` is out of range: integers must fit in 64 bits.")
        #expect(chatError(chatBody(#""max_tokens":1e400"#))?.message == "`max_tokens` must be an integer, got a number out of range.")
        #expect(chatError(chatBody(#""n":3"#))?.message == "Only n=1 is supported by this server, got n=3.")
        let e = try #require(chatError(#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio"}]}]}"#))
        #expect(e.message == "Content part type \"input_audio\" is not supported by this server; only \"text\" and \"image_url\" are.")
        #expect(chatError(#"{"messages":[]}"#)?.message == "`messages` must contain at least one message.")
    }

    @Test func hostileJSONIsA400WithTheByteOffset() throws {
        // Malformed.
        let bad = try #require(chatError(#"{"messages":[{"role":"user","content":"hi"}],}"#))
        #expect(bad.status == 400 && bad.param == nil)
        #expect(bad.message == "Request body is not valid JSON: unexpected character '}' at byte 45.")
        #expect(chatError("")?.message == "Request body is not valid JSON: unexpected end of input at byte 0.")
        #expect(chatError("[]")?.message == "Request body must be a JSON object, got array.")
        #expect(chatError("null")?.status == 400)
        // Deeply nested inside an ignored field: still rejected, no stack overflow.
        let deep = #"{"messages":[{"role":"user","content":"hi"}],"x":"# + String(repeating: "[", count: 100_000)
        #expect(chatError(deep)?.message == "Request body is not valid JSON: nesting deeper than 64 levels at byte 112.")
        // Invalid UTF-8 in a text part.
        var bytes = Array(#"{"messages":[{"role":"user","content":"h"#.utf8)
        bytes += [0xFF, 0x22, 0x7D, 0x5D, 0x7D]
        #expect(chatError(bytes)?.message == "Request body is not valid JSON: invalid UTF-8 at byte 40.")
        // Lone surrogate.
        #expect(chatError(#"{"messages":[{"role":"user","content":"\udead"}]}"#)?.message
            == "Request body is not valid JSON: lone UTF-16 surrogate in \\u escape at byte 39.")
        // Raw control character.
        #expect(chatError("{\"messages\":[{\"role\":\"user\",\"content\":\"a\u{0}\"}]}")?.message
            == "Request body is not valid JSON: unescaped control character in string at byte 40.")
    }

    @Test func hugeStringsAndValueFloodsHitTheLimits() throws {
        let limits = JSONLimits(maxDepth: 64, maxStringBytes: 1000, maxNumberBytes: 64, maxValues: 100)
        let long = chatBody(#""user":""# + String(repeating: "u", count: 2000) + #"""#)
        func err(_ s: String) -> APIError? {
            do { _ = try ChatCompletionRequest.decode(Array(s.utf8), limits: limits); return nil } catch { return error }
        }
        #expect(err(long)?.message == "Request body is not valid JSON: string longer than 1000 bytes at byte 65.")
        let flood = chatBody(#""stop_token_ids":["# + Array(repeating: "1", count: 200).joined(separator: ",") + "]")
        #expect(err(flood)?.message.hasPrefix("Request body is not valid JSON: more than 100 values at byte") == true)
        #expect(err(chatBody(#""max_tokens":"# + String(repeating: "9", count: 100)))
            == .invalidRequest("Request body is not valid JSON: number literal longer than 64 bytes at byte 70."))
    }

    @Test func errorHelpers() {
        #expect(APIError.tooManyImages(limit: 4).message == "At most 4 image(s) may be provided in one prompt.")
        #expect(APIError.unsupportedContentType("text/plain").status == 400)
        #expect(APIError.methodNotAllowed("GET", path: "/v1/completions").status == 405)
    }

    @Test func largeImageDataURL() throws {
        let payload = String(repeating: "QUJD", count: 25_000)  // 100 KB of base64
        let body = #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,"# + payload + #""}}]}],"stream":true}"#
        let r = try ChatCompletionRequest.decode(Array(body.utf8))
        guard case .imageURL(let url, _) = r.messages[0].content[1] else { Issue.record("no image"); return }
        #expect(url.utf8.count == 23 + 100_000)
    }
}
