/// Why a sequence ended (vLLM's `FinishReason` plus `abort`).
public enum EngineFinishReason: String, Sendable, Equatable {
    /// EOS, a stop token or a stop string.
    case stop
    /// `max_tokens` reached.
    case length
    /// The client went away or the server shut down.
    case abort
    /// The engine failed the request (e.g. the patch embedding rejected its input).
    case error
}
