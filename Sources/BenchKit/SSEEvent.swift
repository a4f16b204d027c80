/// One dispatched Server-Sent Event relevant to OpenAI streams.
public enum SSEEvent: Equatable, Sendable {
    /// The event's data (its `data:` lines joined by "\n"), e.g. a chunk's JSON bytes.
    case data([UInt8])
    /// `data: [DONE]`.
    case done
}
