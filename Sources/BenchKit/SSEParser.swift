/// Incremental SSE decoder (WHATWG event-stream rules, restricted to `data:` fields) that is robust
/// to arbitrary network splits and coalesced reads: bytes may be fed in any pieces, including one
/// byte at a time or many events at once. Lines end in LF, CRLF or CR; a blank line dispatches the
/// event; lines starting with ":" (keep-alive comments) and other fields (`event:`, `id:`, `retry:`)
/// are ignored; one optional space after `data:` is removed.
///
/// vLLM's `StreamedResponseHandler` accepts only `data: ` with a space and `\n\n` separators; this
/// parser accepts a superset, so every stream vLLM's client reads is read the same way here.
public struct SSEParser: Sendable {
    private var buffer: [UInt8] = []
    /// Index in `buffer` from which to look for the next line end.
    private var lineStart = 0
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false
    /// Largest accepted event size (bytes); a bigger event is a protocol error.
    public var maxEventBytes: Int

    public init(maxEventBytes: Int = 16 << 20) { self.maxEventBytes = maxEventBytes }

    /// Errors raised by `feed`.
    public struct TooLarge: Error, CustomStringConvertible {
        public var description: String { "SSE event larger than the limit" }
    }

    /// Appends `bytes` and returns every event completed by them, in order.
    public mutating func feed<C: Collection>(_ bytes: C) throws(TooLarge) -> [SSEEvent] where C.Element == UInt8 {
        var events: [SSEEvent] = []
        buffer.append(contentsOf: bytes)
        var i = lineStart
        var start = 0 // the pending partial line always begins at 0 after compaction
        while i < buffer.count {
            let c = buffer[i]
            if c == 0x0A && lastWasCR {
                // Second half of CRLF: the line already ended at the CR.
                lastWasCR = false
                i += 1
                start = i
                continue
            }
            lastWasCR = false
            if c == 0x0A || c == 0x0D {
                if c == 0x0D { lastWasCR = true }
                processLine(start, i, into: &events)
                i += 1
                start = i
                continue
            }
            i += 1
        }
        // Drop consumed bytes.
        if start > 0 {
            buffer.removeSubrange(0..<start)
        }
        lineStart = buffer.count
        if buffer.count + data.count > maxEventBytes { throw TooLarge() }
        return events
    }

    /// Flushes at end of stream: a pending line and an event not yet terminated by a blank line are
    /// dispatched (vLLM's client also emits a complete trailing `data: ` message without "\n\n").
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !buffer.isEmpty {
            processLine(0, buffer.count, into: &events)
            buffer.removeAll()
            lineStart = 0
        }
        dispatch(into: &events)
        return events
    }

    private mutating func processLine(_ s: Int, _ e: Int, into events: inout [SSEEvent]) {
        if s == e { dispatch(into: &events); return }
        if buffer[s] == UInt8(ascii: ":") { return }
        // Field name up to ':'.
        var colon = s
        while colon < e && buffer[colon] != UInt8(ascii: ":") { colon += 1 }
        let nameLen = colon - s
        guard nameLen == 4, buffer[s] == UInt8(ascii: "d"), buffer[s + 1] == UInt8(ascii: "a"),
              buffer[s + 2] == UInt8(ascii: "t"), buffer[s + 3] == UInt8(ascii: "a") else { return }
        var v = colon < e ? colon + 1 : e
        if v < e && buffer[v] == 0x20 { v += 1 }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: buffer[v..<e])
        hasData = true
    }

    private static let doneBytes: [UInt8] = Array("[DONE]".utf8)

    private mutating func dispatch(into events: inout [SSEEvent]) {
        guard hasData else { return }
        if data == Self.doneBytes { events.append(.done) } else { events.append(.data(data)) }
        data.removeAll(keepingCapacity: true)
        hasData = false
    }
}
