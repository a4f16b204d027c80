/// Token counts reported in `usage` (vLLM `UsageInfo`).
public struct Usage: Sendable, Equatable {
    /// Prompt tokens, chat-template and image tokens included.
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Appends `{"prompt_tokens":P,"total_tokens":T,"completion_tokens":C}` (vLLM's field order),
    /// plus `,"prompt_tokens_details":null` when `withDetails` (non-streaming responses).
    public func append(to out: inout [UInt8], withDetails: Bool = false) {
        JSONWriter.appendRaw("{\"prompt_tokens\":", to: &out)
        JSONWriter.appendInt(promptTokens, to: &out)
        JSONWriter.appendRaw(",\"total_tokens\":", to: &out)
        JSONWriter.appendInt(totalTokens, to: &out)
        JSONWriter.appendRaw(",\"completion_tokens\":", to: &out)
        JSONWriter.appendInt(completionTokens, to: &out)
        if withDetails { JSONWriter.appendRaw(",\"prompt_tokens_details\":null", to: &out) }
        out.append(UInt8(ascii: "}"))
    }
}
