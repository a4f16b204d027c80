/// Serialises one legacy `/v1/completions` stream as SSE events in vLLM's shape
/// (`completion_stream_generator`, openai-api.md §3): every chunk is a `text_completion` object with
/// `choices: [{index, text, logprobs, finish_reason, stop_reason, prompt_token_ids, token_ids}]` and
/// `usage` (null unless continuous usage is on; then with `prompt_tokens_details: null`),
/// `system_fingerprint` and `metrics` (null), serialised with all fields as vLLM does
/// (`exclude_unset=False`). The usage chunk drops nulls (`exclude_none=True`). No role chunk. The final text chunk carries `finish_reason`. With
/// `include_usage`, a usage chunk with `"choices": []` follows; then `data: [DONE]`.
public struct CompletionStreamEncoder: Sendable {
    public let id: String
    public let model: String
    public let created: Int
    public let includeUsage: Bool
    public let continuousUsage: Bool

    /// `data: {"id":...,"object":"text_completion","created":...,"model":...,"choices":[`
    let head: StreamChunkHead

    public init(id: String, model: String, created: Int, includeUsage: Bool, continuousUsageStats: Bool) {
        self.id = id
        self.model = model
        self.created = created
        self.includeUsage = includeUsage
        self.continuousUsage = includeUsage && continuousUsageStats
        head = StreamChunkHead(id: id, object: "text_completion", created: created, model: model)
    }

    /// `data: [DONE]\n\n`
    public static let done: [UInt8] = ChatStreamEncoder.done

    /// The in-band error event.
    public static func error(_ e: APIError) -> [UInt8] { ChatStreamEncoder.error(e) }

    /// A text chunk (`finish_reason: null`).
    public func text(_ text: String, usage: Usage?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(head.bytes.count + 200 + text.utf8.count)
        appendText(text, usage: usage, to: &out)
        return out
    }

    /// The final text chunk with `finish_reason` and `stop_reason`.
    public func finish(_ text: String = "", reason: FinishReason, stopReason: StopReason? = nil,
                       usage: Usage?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(head.bytes.count + 200 + text.utf8.count)
        appendFinish(text, reason: reason, stopReason: stopReason, usage: usage, to: &out)
        return out
    }

    /// The usage chunk: `"choices":[]` and `usage`.
    public func usage(_ usage: Usage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(head.bytes.count + 120)
        appendUsage(usage, to: &out)
        return out
    }

    /// Appends a text chunk; an empty `text` appends nothing (vLLM skips empty deltas except the final one).
    public func appendText(_ text: String, usage: Usage?, to out: inout [UInt8]) {
        if text.isEmpty { return }
        out.append(contentsOf: head.bytes)
        JSONWriter.appendRaw("{\"index\":0,\"text\":\"", to: &out)
        JSONWriter.appendEscaped(text, to: &out)
        JSONWriter.appendRaw("\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null,\"prompt_token_ids\":null,\"token_ids\":null}]",
                             to: &out)
        appendTail(usage: usage, to: &out)
    }

    public func appendFinish(_ text: String, reason: FinishReason, stopReason: StopReason?, usage: Usage?,
                             to out: inout [UInt8]) {
        out.append(contentsOf: head.bytes)
        JSONWriter.appendRaw("{\"index\":0,\"text\":\"", to: &out)
        JSONWriter.appendEscaped(text, to: &out)
        JSONWriter.appendRaw("\",\"logprobs\":null,\"finish_reason\":\"", to: &out)
        out.append(contentsOf: reason.rawValue.utf8)
        JSONWriter.appendRaw("\",\"stop_reason\":", to: &out)
        StopReason.append(stopReason, to: &out)
        JSONWriter.appendRaw(",\"prompt_token_ids\":null,\"token_ids\":null}]", to: &out)
        appendTail(usage: usage, to: &out)
    }

    public func appendUsage(_ usage: Usage, to out: inout [UInt8]) {
        head.appendUsageChunk(usage, to: &out)
    }

    @inline(__always) func appendTail(usage: Usage?, to out: inout [UInt8]) {
        JSONWriter.appendRaw(",\"usage\":", to: &out)
        if continuousUsage, let usage {
            usage.append(to: &out, withDetails: true)
        } else {
            JSONWriter.appendRaw("null", to: &out)
        }
        JSONWriter.appendRaw(",\"system_fingerprint\":null,\"metrics\":null}\n\n", to: &out)
    }
}
