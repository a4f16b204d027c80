/// Why a choice ended (vLLM `FinishReason` values as sent on the wire).
public enum FinishReason: String, Sendable, Equatable {
    /// EOS token or a stop string / stop token.
    case stop
    /// The token cap (`max_tokens`) or the context end.
    case length
    /// The request was aborted.
    case abort
}
