/// What every SSE chunk of one stream starts with, serialised once per stream in vLLM's field order:
/// `data: {"id":...,"object":<object>,"created":...,"model":...,"choices":[`. Shared by
/// `ChatStreamEncoder` (`chat.completion.chunk`) and `CompletionStreamEncoder` (`text_completion`).
struct StreamChunkHead: Sendable {
    let bytes: [UInt8]

    init(id: String, object: String, created: Int, model: String) {
        var h: [UInt8] = []
        h.reserveCapacity(64 + id.utf8.count + object.utf8.count + model.utf8.count)
        JSONWriter.appendRaw("data: {\"id\":", to: &h)
        JSONWriter.appendString(id, to: &h)
        JSONWriter.appendRaw(",\"object\":", to: &h)
        JSONWriter.appendString(object, to: &h)
        JSONWriter.appendRaw(",\"created\":", to: &h)
        JSONWriter.appendInt(created, to: &h)
        JSONWriter.appendRaw(",\"model\":", to: &h)
        JSONWriter.appendString(model, to: &h)
        JSONWriter.appendRaw(",\"choices\":[", to: &h)
        bytes = h
    }

    /// The usage chunk both endpoints send last: `"choices":[]`, then `"usage":{...}` (nulls dropped).
    func appendUsageChunk(_ usage: Usage, to out: inout [UInt8]) {
        out.append(contentsOf: bytes)
        JSONWriter.appendRaw("],\"usage\":", to: &out)
        usage.append(to: &out)
        JSONWriter.appendRaw("}\n\n", to: &out)
    }
}
