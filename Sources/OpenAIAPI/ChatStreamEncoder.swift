/// Serialises one `/v1/chat/completions` stream as SSE events, byte for byte in vLLM's shape
/// (`chat_completion_stream_generator`, openai-api.md §2.6.3):
///
/// 1. role chunk `delta: {"role":"assistant","content":""}`, sent together with the first token;
/// 2. content chunks `delta: {"content": ...}`, `finish_reason: null`;
/// 3. the final chunk: last text delta plus `finish_reason` and `stop_reason`;
/// 4. with `include_usage`, a usage chunk with `"choices": []`;
/// 5. `data: [DONE]`.
///
/// Every event is `data: <compact JSON>\n\n`. With `continuous_usage_stats` (and `include_usage`),
/// chunks 1–3 carry the running `usage` passed in. The chunk head (id, object, created, model) and
/// the fixed tails are serialised once in `init`, so a content chunk is prefix + escaped text + suffix.
/// If `content` or `finish` is called first, the role chunk is emitted before it automatically.
public struct ChatStreamEncoder: Sendable {
    public let id: String
    public let model: String
    public let created: Int
    public let includeUsage: Bool
    /// `includeUsage && continuousUsageStats`.
    public let continuousUsage: Bool
    /// True once the role chunk was produced.
    public private(set) var sentRole = false

    /// `data: {"id":...,"object":"chat.completion.chunk","created":...,"model":...,"choices":[`
    let head: StreamChunkHead

    public init(id: String, model: String, created: Int, includeUsage: Bool, continuousUsageStats: Bool) {
        self.id = id
        self.model = model
        self.created = created
        self.includeUsage = includeUsage
        self.continuousUsage = includeUsage && continuousUsageStats
        head = StreamChunkHead(id: id, object: "chat.completion.chunk", created: created, model: model)
    }

    /// `data: [DONE]\n\n`
    public static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

    /// `data: {"error":{...}}\n\n`: the in-band error event for failures after the stream started.
    public static func error(_ e: APIError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(112 + e.message.utf8.count)
        JSONWriter.appendRaw("data: ", to: &out)
        e.appendObject(to: &out)
        JSONWriter.appendRaw("\n\n", to: &out)
        return out
    }

    // MARK: events returning bytes

    /// The role chunk alone (`{"role":"assistant","content":""}`); usage is its running total when
    /// continuous usage is on (completion_tokens 0).
    public mutating func role(usage: Usage? = nil) -> [UInt8] {
        var out = reserved(0)
        appendRole(usage: usage, to: &out)
        return out
    }

    /// The role chunk followed by the first token's content chunk (vLLM's first iteration).
    public mutating func first(content: String, usage: Usage?) -> [UInt8] {
        var out = reserved(content.utf8.count * 2)
        appendRole(usage: usage.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0) }, to: &out)
        appendContent(content, usage: usage, to: &out)
        return out
    }

    /// One content chunk (role chunk first if it was not sent yet); empty for an empty `text` once the role was sent.
    public mutating func content(_ text: String, usage: Usage?) -> [UInt8] {
        var out = reserved(text.utf8.count + 8)
        appendContent(text, usage: usage, to: &out)
        return out
    }

    /// The final chunk: the last text delta (may be empty), `finish_reason` and `stop_reason`.
    public mutating func finish(_ text: String = "", reason: FinishReason, stopReason: StopReason? = nil,
                                usage: Usage?) -> [UInt8] {
        var out = reserved(text.utf8.count + 32)
        appendFinish(text, reason: reason, stopReason: stopReason, usage: usage, to: &out)
        return out
    }

    /// The usage chunk: `"choices":[]` and `usage` (send only when `includeUsage`).
    public func usage(_ usage: Usage) -> [UInt8] {
        var out = reserved(0)
        appendUsage(usage, to: &out)
        return out
    }

    // MARK: events appended to a caller's buffer

    public mutating func appendRole(usage: Usage?, to out: inout [UInt8]) {
        sentRole = true
        out.append(contentsOf: head.bytes)
        JSONWriter.appendRaw("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]",
                             to: &out)
        appendTail(usage: usage, to: &out)
    }

    /// Appends a content chunk; an empty `text` appends nothing (vLLM skips empty deltas except the
    /// final one) beyond the role chunk if that was not sent yet.
    public mutating func appendContent(_ text: String, usage: Usage?, to out: inout [UInt8]) {
        if !sentRole { appendRole(usage: usage.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0) }, to: &out) }
        if text.isEmpty { return }
        out.append(contentsOf: head.bytes)
        JSONWriter.appendRaw("{\"index\":0,\"delta\":{\"content\":\"", to: &out)
        JSONWriter.appendEscaped(text, to: &out)
        JSONWriter.appendRaw("\"},\"logprobs\":null,\"finish_reason\":null}]", to: &out)
        appendTail(usage: usage, to: &out)
    }

    public mutating func appendFinish(_ text: String, reason: FinishReason, stopReason: StopReason?, usage: Usage?,
                                      to out: inout [UInt8]) {
        if !sentRole { appendRole(usage: usage.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0) }, to: &out) }
        out.append(contentsOf: head.bytes)
        JSONWriter.appendRaw("{\"index\":0,\"delta\":{\"content\":\"", to: &out)
        JSONWriter.appendEscaped(text, to: &out)
        JSONWriter.appendRaw("\"},\"logprobs\":null,\"finish_reason\":\"", to: &out)
        out.append(contentsOf: reason.rawValue.utf8)
        JSONWriter.appendRaw("\",\"stop_reason\":", to: &out)
        StopReason.append(stopReason, to: &out)
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "]"))
        appendTail(usage: usage, to: &out)
    }

    public func appendUsage(_ usage: Usage, to out: inout [UInt8]) {
        head.appendUsageChunk(usage, to: &out)
    }

    // MARK: helpers

    @inline(__always) func reserved(_ extra: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(head.bytes.count + 160 + extra)
        return out
    }

    /// Closes the chunk object after `choices`: `,"usage":{...}` when continuous usage is on, then `}\n\n`.
    @inline(__always) func appendTail(usage: Usage?, to out: inout [UInt8]) {
        if continuousUsage, let usage {
            JSONWriter.appendRaw(",\"usage\":", to: &out)
            usage.append(to: &out)
        }
        JSONWriter.appendRaw("}\n\n", to: &out)
    }
}
