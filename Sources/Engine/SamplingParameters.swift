/// The generation parameters the stub decoder honours (vLLM's `SamplingParams` subset).
public struct SamplingParameters: Sendable, Equatable {
    /// Output-token cap (already resolved against `max_model_len − prompt_tokens`). ≥ 1.
    public var maxTokens: Int
    /// No EOS, stop token or stop string ends the sequence before this many tokens (vLLM `min_tokens`).
    public var minTokens: Int
    /// Keep generating past EOS until `maxTokens` (vLLM `ignore_eos`).
    public var ignoreEOS: Bool
    /// Stop strings; the matched string is not part of the output unless `includeStopStringInOutput`.
    public var stop: [String]
    /// Token ids that end the sequence (vLLM `stop_token_ids`); the token is not shown.
    public var stopTokenIDs: [Int32]
    public var includeStopStringInOutput: Bool
    /// Seed of the per-request generator; `nil` means the engine assigns one from a counter.
    public var seed: UInt64?
    /// 0 means greedy: the output does not depend on the seed.
    public var temperature: Double
    public var topP: Double

    public init(maxTokens: Int, minTokens: Int = 0, ignoreEOS: Bool = false, stop: [String] = [],
                stopTokenIDs: [Int32] = [], includeStopStringInOutput: Bool = false, seed: UInt64? = nil,
                temperature: Double = 1.0, topP: Double = 1.0) {
        self.maxTokens = maxTokens
        self.minTokens = minTokens
        self.ignoreEOS = ignoreEOS
        self.stop = stop
        self.stopTokenIDs = stopTokenIDs
        self.includeStopStringInOutput = includeStopStringInOutput
        self.seed = seed
        self.temperature = temperature
        self.topP = topP
    }
}
