/// A validated `POST /v1/chat/completions` body (vLLM `ChatCompletionRequest`, openai-api.md §2.1–§2.3).
/// Unknown fields are ignored; every type or range error is a 400 naming the field.
public struct ChatCompletionRequest: Sendable, Equatable {
    /// `model`; nil (missing or null) means the served model.
    public var model: String?
    /// `messages`, at least one.
    public var messages: [ChatMessage]
    /// `stream`. Default false.
    public var stream: Bool
    public var streamOptions: StreamOptions
    public var sampling: SamplingOptions
    /// `user` (accepted, ignored).
    public var user: String?
    /// vLLM `request_id` field (used in the response id when the `X-Request-Id` header is absent).
    public var requestID: String?
    /// `add_generation_prompt`. Default true.
    public var addGenerationPrompt: Bool
    /// `continue_final_message`. Default false.
    public var continueFinalMessage: Bool

    public init(model: String? = nil, messages: [ChatMessage], stream: Bool = false,
                streamOptions: StreamOptions = StreamOptions(), sampling: SamplingOptions = SamplingOptions(),
                user: String? = nil, requestID: String? = nil, addGenerationPrompt: Bool = true,
                continueFinalMessage: Bool = false) {
        self.model = model
        self.messages = messages
        self.stream = stream
        self.streamOptions = streamOptions
        self.sampling = sampling
        self.user = user
        self.requestID = requestID
        self.addGenerationPrompt = addGenerationPrompt
        self.continueFinalMessage = continueFinalMessage
    }

    /// Total image parts across all messages.
    public var imageCount: Int { messages.reduce(0) { $0 + $1.imageCount } }

    /// Parses and validates a request body; `limits` bound the JSON parser (default: `JSONLimits.default`).
    public static func decode(_ body: [UInt8], limits: JSONLimits = .default) throws(APIError) -> ChatCompletionRequest {
        try decode(members: FieldDecoding.parseBody(body, limits: limits))
    }

    /// Validates an already parsed JSON document.
    public static func decode(_ json: JSONValue) throws(APIError) -> ChatCompletionRequest {
        guard case .object(let members) = json else {
            throw APIError.invalidRequest("Request body must be a JSON object, got \(json.typeName).")
        }
        return try decode(members: members)
    }

    static func decode(members: [(key: String, value: JSONValue)]) throws(APIError) -> ChatCompletionRequest {
        typealias F = FieldDecoding
        var sampling = SamplingOptionsBuilder(flavor: .chat)
        var model: String?
        var messages: JSONValue?
        var stream = false
        var streamOptions: JSONValue?
        var user: String?
        var requestID: String?
        var addGenerationPrompt = true
        var continueFinalMessage = false
        for (key, value) in members {
            switch key {
            case "model": model = try F.optionalString(value, key)
            case "messages": messages = value
            case "stream": stream = try F.bool(value, key, default: false)
            case "stream_options": streamOptions = value
            case "user": user = try F.optionalString(value, key)
            case "request_id": requestID = try F.optionalString(value, key)
            case "add_generation_prompt": addGenerationPrompt = try F.bool(value, key, default: true)
            case "continue_final_message": continueFinalMessage = try F.bool(value, key, default: false)
            case "tools":
                if case .array(let tools) = value, !tools.isEmpty {
                    throw APIError.invalidRequest("`tools` is not supported by this server (no tool calling); omit it or send an empty list.", param: key)
                }
            case "response_format":
                try checkResponseFormat(value)
            default: _ = try sampling.consume(key, value)
            }
        }
        let decodedMessages = try ChatMessage.decodeList(messages)
        if addGenerationPrompt && continueFinalMessage {
            throw APIError.invalidRequest("Cannot set both `continue_final_message` and `add_generation_prompt` to true.",
                                          param: "continue_final_message")
        }
        return ChatCompletionRequest(
            model: model, messages: decodedMessages, stream: stream,
            streamOptions: try StreamOptions.decode(streamOptions, stream: stream),
            sampling: try sampling.finish(defaultMaxTokens: nil), user: user, requestID: requestID,
            addGenerationPrompt: addGenerationPrompt, continueFinalMessage: continueFinalMessage)
    }

    /// `response_format`: null or `{"type": "text"}` only.
    static func checkResponseFormat(_ value: JSONValue) throws(APIError) {
        if value == .null { return }
        _ = try FieldDecoding.object(value, "response_format")
        let type = try value["type"].map { v throws(APIError) in try FieldDecoding.string(v, "response_format.type") }
        if type != nil && type != "text" {
            throw APIError.invalidRequest("`response_format.type` \"\(type!)\" is not supported by this server; only \"text\" is.",
                                          param: "response_format.type")
        }
    }
}
