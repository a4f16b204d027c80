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

/// Why a choice ended (vLLM `FinishReason` values as sent on the wire).
public enum FinishReason: String, Sendable, Equatable {
    /// EOS token or a stop string / stop token.
    case stop
    /// The token cap (`max_tokens`) or the context end.
    case length
    /// The request was aborted.
    case abort
}

/// vLLM's `stop_reason`: the stop string or stop token id that ended the choice; nil (`null`) for EOS/length.
public enum StopReason: Sendable, Equatable {
    case string(String)
    case tokenID(Int)

    /// Appends the JSON value, `null` for nil.
    static func append(_ r: StopReason?, to out: inout [UInt8]) {
        switch r {
        case nil: JSONWriter.appendRaw("null", to: &out)
        case .string(let s)?: JSONWriter.appendString(s, to: &out)
        case .tokenID(let id)?: JSONWriter.appendInt(id, to: &out)
        }
    }
}
