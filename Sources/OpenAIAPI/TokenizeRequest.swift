/// A validated `POST /tokenize` body (vLLM `TokenizeCompletionRequest` | `TokenizeChatRequest`):
/// either `prompt` (string) or `messages` (chat form, rendered with the chat template).
public struct TokenizeRequest: Sendable, Equatable {
    public enum Input: Sendable, Equatable {
        case prompt(String)
        case messages([ChatMessage])
    }

    public var model: String?
    public var input: Input
    /// `add_special_tokens`: default true for `prompt`, false for `messages` (as vLLM).
    public var addSpecialTokens: Bool
    /// `add_generation_prompt` (chat form). Default true.
    public var addGenerationPrompt: Bool
    /// `continue_final_message` (chat form). Default false.
    public var continueFinalMessage: Bool
    /// `return_token_strs`: also return each token's text. Default false.
    public var returnTokenStrings: Bool

    public init(model: String? = nil, input: Input, addSpecialTokens: Bool? = nil, addGenerationPrompt: Bool = true,
                continueFinalMessage: Bool = false, returnTokenStrings: Bool = false) {
        self.model = model
        self.input = input
        if let addSpecialTokens {
            self.addSpecialTokens = addSpecialTokens
        } else if case .prompt = input {
            self.addSpecialTokens = true
        } else {
            self.addSpecialTokens = false
        }
        self.addGenerationPrompt = addGenerationPrompt
        self.continueFinalMessage = continueFinalMessage
        self.returnTokenStrings = returnTokenStrings
    }

    /// Parses and validates a request body; `limits` bound the JSON parser.
    public static func decode(_ body: [UInt8], limits: JSONLimits = .default) throws(APIError) -> TokenizeRequest {
        typealias F = FieldDecoding
        let members = try F.parseBody(body, limits: limits)
        var model: String?
        var prompt: JSONValue?
        var messages: JSONValue?
        var addSpecialTokens: Bool?
        var addGenerationPrompt = true
        var continueFinalMessage = false
        var returnTokenStrings = false
        for (key, value) in members {
            switch key {
            case "model": model = try F.optionalString(value, key)
            case "prompt": prompt = value
            case "messages": messages = value
            case "add_special_tokens": addSpecialTokens = value == .null ? nil : try F.bool(value, key)
            case "add_generation_prompt": addGenerationPrompt = try F.bool(value, key, default: true)
            case "continue_final_message": continueFinalMessage = try F.bool(value, key, default: false)
            case "return_token_strs": returnTokenStrings = try F.bool(value, key, default: false)
            default: break
            }
        }
        let input: Input
        if let messages, messages != .null {
            input = .messages(try ChatMessage.decodeList(messages))
        } else if let prompt, prompt != .null {
            input = .prompt(try F.string(prompt, "prompt"))
        } else {
            throw APIError.invalidRequest("Either `prompt` or `messages` is required.", param: "prompt")
        }
        return TokenizeRequest(model: model, input: input, addSpecialTokens: addSpecialTokens,
                               addGenerationPrompt: addGenerationPrompt, continueFinalMessage: continueFinalMessage,
                               returnTokenStrings: returnTokenStrings)
    }
}
