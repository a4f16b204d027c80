/// What every SSE chunk of one stream starts with, serialised once per stream in vLLM's field order:
/// `data: {"id":...,"object":<object>,"created":...,"model":...,"choices":[`. Shared by
/// `ChatStreamEncoder` (`chat.completion.chunk`) and `CompletionStreamEncoder` (`text_completion`).
struct StreamChunkHead: Sendable {
    let bytes: [UInt8]

    init(id: String, object: String, created: Int, model: String) {
        var h: [UInt8] = []
        h.reserveCapacity(64 + id.utf8.count + object.utf8.count + model.utf8.count)
        JSONWriter.appendRaw("data: ", to: &h)
        Self.appendObjectHead(id: id, object: object, created: created, model: model, to: &h)
        bytes = h
    }

    /// `{"id":...,"object":...,"created":...,"model":...,"choices":[`: how every completion object
    /// starts, streamed chunk or whole response body (vLLM's field order).
    static func appendObjectHead(id: String, object: String, created: Int, model: String, to out: inout [UInt8]) {
        JSONWriter.appendRaw("{\"id\":", to: &out)
        JSONWriter.appendString(id, to: &out)
        JSONWriter.appendRaw(",\"object\":", to: &out)
        JSONWriter.appendString(object, to: &out)
        JSONWriter.appendRaw(",\"created\":", to: &out)
        JSONWriter.appendInt(created, to: &out)
        JSONWriter.appendRaw(",\"model\":", to: &out)
        JSONWriter.appendString(model, to: &out)
        JSONWriter.appendRaw(",\"choices\":[", to: &out)
    }

    /// The usage chunk both endpoints send last: `"choices":[]`, then `"usage":{...}` (nulls dropped).
    func appendUsageChunk(_ usage: Usage, to out: inout [UInt8]) {
        out.append(contentsOf: bytes)
        JSONWriter.appendRaw("],\"usage\":", to: &out)
        usage.append(to: &out)
        JSONWriter.appendRaw("}\n\n", to: &out)
    }
}
