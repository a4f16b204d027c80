/// Non-streaming response bodies in vLLM's shapes (compact JSON, raw UTF-8, as Starlette's
/// `JSONResponse` renders `model_dump()`).
public enum ResponseEncoder {
    /// `chat.completion` body (vLLM `ChatCompletionResponse`, openai-api.md §2.5):
    /// `{"id","object":"chat.completion","created","model","choices":[{"index":0,"message":{"role":"assistant",
    /// "content",...},"logprobs":null,"finish_reason","stop_reason","token_ids":null}],"service_tier":null,
    /// "system_fingerprint":null,"usage":{...,"prompt_tokens_details":null},"prompt_logprobs":null,
    /// "prompt_token_ids":null,"kv_transfer_params":null}`.
    public static func chatCompletion(id: String, model: String, created: Int, content: String,
                                      finishReason: FinishReason, stopReason: StopReason? = nil,
                                      usage: Usage) -> [UInt8] {
        var content = content
        return content.withUTF8 {
            chatCompletion(id: id, model: model, created: created, contentUTF8: UnsafeRawBufferPointer($0),
                           finishReason: finishReason, stopReason: stopReason, usage: usage)
        }
    }

    /// The `chat.completion` body with the content given as UTF-8 bytes (what a server gathering tokens holds).
    public static func chatCompletion(id: String, model: String, created: Int, contentUTF8 content: UnsafeRawBufferPointer,
                                      finishReason: FinishReason, stopReason: StopReason? = nil,
                                      usage: Usage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + id.utf8.count + model.utf8.count + content.count)
        StreamChunkHead.appendObjectHead(id: id, object: "chat.completion", created: created, model: model, to: &out)
        JSONWriter.appendRaw("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"", to: &out)
        JSONWriter.appendEscaped(content, to: &out)
        out.append(UInt8(ascii: "\""))
        JSONWriter.appendRaw(",\"refusal\":null,\"annotations\":null,\"audio\":null,\"function_call\":null,", to: &out)
        JSONWriter.appendRaw("\"tool_calls\":[],\"reasoning\":null},\"logprobs\":null,\"finish_reason\":\"", to: &out)
        out.append(contentsOf: finishReason.rawValue.utf8)
        JSONWriter.appendRaw("\",\"stop_reason\":", to: &out)
        StopReason.append(stopReason, to: &out)
        JSONWriter.appendRaw(",\"token_ids\":null}],\"service_tier\":null,\"system_fingerprint\":null,\"usage\":", to: &out)
        usage.append(to: &out, withDetails: true)
        JSONWriter.appendRaw(",\"prompt_logprobs\":null,\"prompt_token_ids\":null,\"kv_transfer_params\":null}", to: &out)
        return out
    }

    /// `text_completion` body (vLLM `CompletionResponse`, openai-api.md §3):
    /// `{"id","object":"text_completion","created","model","choices":[{"index":0,"text","logprobs":null,
    /// "finish_reason","stop_reason","prompt_logprobs":null}],"service_tier":null,"system_fingerprint":null,
    /// "usage":{...,"prompt_tokens_details":null},"kv_transfer_params":null}`.
    public static func completion(id: String, model: String, created: Int, text: String,
                                  finishReason: FinishReason, stopReason: StopReason? = nil, usage: Usage) -> [UInt8] {
        var text = text
        return text.withUTF8 {
            completion(id: id, model: model, created: created, textUTF8: UnsafeRawBufferPointer($0),
                       finishReason: finishReason, stopReason: stopReason, usage: usage)
        }
    }

    /// The `text_completion` body with the text given as UTF-8 bytes.
    public static func completion(id: String, model: String, created: Int, textUTF8 text: UnsafeRawBufferPointer,
                                  finishReason: FinishReason, stopReason: StopReason? = nil, usage: Usage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(384 + id.utf8.count + model.utf8.count + text.count)
        StreamChunkHead.appendObjectHead(id: id, object: "text_completion", created: created, model: model, to: &out)
        JSONWriter.appendRaw("{\"index\":0,\"text\":\"", to: &out)
        JSONWriter.appendEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
        JSONWriter.appendRaw(",\"logprobs\":null,\"finish_reason\":\"", to: &out)
        out.append(contentsOf: finishReason.rawValue.utf8)
        JSONWriter.appendRaw("\",\"stop_reason\":", to: &out)
        StopReason.append(stopReason, to: &out)
        JSONWriter.appendRaw(",\"token_ids\":null,\"prompt_logprobs\":null,\"prompt_token_ids\":null}],", to: &out)
        JSONWriter.appendRaw("\"service_tier\":null,\"system_fingerprint\":null,\"usage\":", to: &out)
        usage.append(to: &out, withDetails: true)
        JSONWriter.appendRaw(",\"kv_transfer_params\":null}", to: &out)
        return out
    }

    /// `GET /v1/models` body: `{"object":"list","data":[cards...]}`.
    public static func modelList(_ cards: [ModelCard]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(400 * max(cards.count, 1))
        JSONWriter.appendRaw("{\"object\":\"list\",\"data\":[", to: &out)
        for (i, card) in cards.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            card.append(to: &out)
        }
        JSONWriter.appendRaw("]}", to: &out)
        return out
    }

    /// One model card (`GET /v1/models/{id}`).
    public static func model(_ card: ModelCard) -> [UInt8] {
        var out: [UInt8] = []
        card.append(to: &out)
        return out
    }

    /// `POST /tokenize` body (vLLM `TokenizeResponse`): `{"count","max_model_len","tokens","token_strs"}`;
    /// `token_strs` is null unless `tokenStrings` is given.
    public static func tokenize(tokens: [Int], maxModelLen: Int, tokenStrings: [String]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + tokens.count * 7)
        JSONWriter.appendRaw("{\"count\":", to: &out)
        JSONWriter.appendInt(tokens.count, to: &out)
        JSONWriter.appendRaw(",\"max_model_len\":", to: &out)
        JSONWriter.appendInt(maxModelLen, to: &out)
        JSONWriter.appendRaw(",\"tokens\":[", to: &out)
        for (i, t) in tokens.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendInt(t, to: &out)
        }
        JSONWriter.appendRaw("],\"token_strs\":", to: &out)
        if let tokenStrings {
            out.append(UInt8(ascii: "["))
            for (i, s) in tokenStrings.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(s, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        } else {
            JSONWriter.appendRaw("null", to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `POST /detokenize` body: `{"prompt": text}`.
    public static func detokenize(prompt: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw("{\"prompt\":", to: &out)
        JSONWriter.appendString(prompt, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `GET /version` body: `{"version": v}`.
    public static func version(_ version: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw("{\"version\":", to: &out)
        JSONWriter.appendString(version, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
