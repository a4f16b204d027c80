/// What one engine step produced for one sequence. Delivered on the engine thread, in order.
public struct SequenceOutput: Sendable, Equatable {
    /// New visible text (may be empty: a held-back stop-string prefix, EOS, or the final output).
    public var text: String
    /// The token generated this step, if any (`nil` for aborted/failed outputs).
    public var tokenID: Int32?
    /// True for the first output of the sequence (the one after prefill).
    public var isFirst: Bool
    public var finishReason: EngineFinishReason?
    public var stopReason: EngineStopReason?
    public var promptTokens: Int
    /// Tokens generated so far, this step's included.
    public var completionTokens: Int
    /// For `.error` finishes: what went wrong.
    public var errorMessage: String?

    public var isFinished: Bool { finishReason != nil }
}
