/// A validated `POST /v1/completions` body (vLLM `CompletionRequest`). Only one prompt is supported:
/// a string, a token-id list, or a one-element list of either. `max_tokens` defaults to 16.
public struct CompletionRequest: Sendable, Equatable {
    public var model: String?
    public var prompt: PromptInput
    public var stream: Bool
    public var streamOptions: StreamOptions
    public var sampling: SamplingOptions
    /// `echo`: prepend the prompt to the output. Default false.
    public var echo: Bool
    /// `add_special_tokens`. Default true.
    public var addSpecialTokens: Bool
    public var user: String?
    public var requestID: String?

    public init(model: String? = nil, prompt: PromptInput, stream: Bool = false,
                streamOptions: StreamOptions = StreamOptions(),
                sampling: SamplingOptions = SamplingOptions(maxTokens: 16), echo: Bool = false,
                addSpecialTokens: Bool = true, user: String? = nil, requestID: String? = nil) {
        self.model = model
        self.prompt = prompt
        self.stream = stream
        self.streamOptions = streamOptions
        self.sampling = sampling
        self.echo = echo
        self.addSpecialTokens = addSpecialTokens
        self.user = user
        self.requestID = requestID
    }

    /// Parses and validates a request body; `limits` bound the JSON parser (default: `JSONLimits.default`).
    public static func decode(_ body: [UInt8], limits: JSONLimits = .default) throws(APIError) -> CompletionRequest {
        try decode(members: FieldDecoding.parseBody(body, limits: limits))
    }

    /// Validates an already parsed JSON document.
    public static func decode(_ json: JSONValue) throws(APIError) -> CompletionRequest {
        guard case .object(let members) = json else {
            throw APIError.invalidRequest("Request body must be a JSON object, got \(json.typeName).")
        }
        return try decode(members: members)
    }

    static func decode(members: [(key: String, value: JSONValue)]) throws(APIError) -> CompletionRequest {
        typealias F = FieldDecoding
        var sampling = SamplingOptionsBuilder(flavor: .completion)
        var model: String?
        var prompt: JSONValue?
        var stream = false
        var streamOptions: JSONValue?
        var echo = false
        var addSpecialTokens = true
        var user: String?
        var requestID: String?
        for (key, value) in members {
            switch key {
            case "model": model = try F.optionalString(value, key)
            case "prompt": prompt = value
            case "stream": stream = try F.bool(value, key, default: false)
            case "stream_options": streamOptions = value
            case "echo": echo = try F.bool(value, key, default: false)
            case "add_special_tokens": addSpecialTokens = try F.bool(value, key, default: true)
            case "user": user = try F.optionalString(value, key)
            case "request_id": requestID = try F.optionalString(value, key)
            case "suffix":
                if value != .null {
                    throw APIError.invalidRequest("`suffix` is not supported by this server.", param: key)
                }
            case "prompt_embeds":
                if value != .null {
                    throw APIError.invalidRequest("`prompt_embeds` is not supported by this server.", param: key)
                }
            case "response_format":
                try ChatCompletionRequest.checkResponseFormat(value)
            default: _ = try sampling.consume(key, value)
            }
        }
        return CompletionRequest(
            model: model, prompt: try decodePrompt(prompt), stream: stream,
            streamOptions: try StreamOptions.decode(streamOptions, stream: stream),
            sampling: try sampling.finish(defaultMaxTokens: 16), echo: echo, addSpecialTokens: addSpecialTokens,
            user: user, requestID: requestID)
    }

    static func decodePrompt(_ v: JSONValue?) throws(APIError) -> PromptInput {
        guard let v, v != .null else {
            throw APIError.invalidRequest("`prompt` is required.", param: "prompt")
        }
        switch v {
        case .string(let s):
            if s.isEmpty { throw APIError.invalidRequest("`prompt` must not be empty.", param: "prompt") }
            return .text(s)
        case .array(let items):
            guard let first = items.first else {
                throw APIError.invalidRequest("`prompt` must not be empty.", param: "prompt")
            }
            switch first {
            case .string, .array:
                guard items.count == 1 else {
                    throw APIError.invalidRequest("Only one prompt per request is supported, got \(items.count).",
                                                  param: "prompt")
                }
                if case .array = first {
                    let ids = try FieldDecoding.intArray(first, "prompt[0]")
                    return try checkedTokenIDs(ids, param: "prompt[0]")
                }
                return try decodePrompt(first)
            default:
                let ids = try FieldDecoding.intArray(v, "prompt")
                return try checkedTokenIDs(ids, param: "prompt")
            }
        default:
            throw FieldDecoding.typeError("prompt", expected: "a string, an array of token ids, or a one-element "
                                              + "array of either", got: v)
        }
    }

    static func checkedTokenIDs(_ ids: [Int], param: String) throws(APIError) -> PromptInput {
        if ids.isEmpty { throw APIError.invalidRequest("`\(param)` must not be empty.", param: param) }
        for (i, id) in ids.enumerated() where id < 0 {
            throw APIError.invalidRequest("Token ids must be non-negative, got \(id).", param: "\(param)[\(i)]")
        }
        return .tokenIDs(ids)
    }
}
