/// Output-length and sampling parameters shared by chat and legacy completions
/// (vLLM `SamplingParams`, built by `to_sampling_params`; ranges checked as `SamplingParams._verify_args`).
public struct SamplingOptions: Sendable, Equatable {
    /// Output-token cap: `max_completion_tokens` if set, else `max_tokens` (chat); `max_tokens`
    /// (completions, default 16). nil = until the end of the context (chat default). Always >= 1.
    public var maxTokens: Int?
    /// The request field that set `maxTokens` ("max_completion_tokens" or "max_tokens"), for error `param`s.
    public var maxTokensParam: String
    /// `min_tokens`: EOS and stop tokens are ignored until this many tokens were generated. Default 0.
    public var minTokens: Int
    /// `ignore_eos`: keep generating past EOS until the cap. Default false.
    public var ignoreEOS: Bool
    /// `stop`: stop strings (a string or list in JSON; `null` = none). Never contains "".
    public var stop: [String]
    /// `stop_token_ids`: extra stop token ids (each >= 0).
    public var stopTokenIDs: [Int]
    /// `include_stop_str_in_output`. Default false.
    public var includeStopStringInOutput: Bool
    /// `seed` (any 64-bit integer), nil = unseeded.
    public var seed: Int?
    /// `temperature` (>= 0; 0 = greedy), nil = server default (1.0 or generation config).
    public var temperature: Double?
    /// `top_p` in (0, 1], nil = server default.
    public var topP: Double?
    /// `top_k` >= 1, nil = disabled (JSON -1, 0 or null).
    public var topK: Int?
    /// `min_p` in [0, 1], nil = disabled.
    public var minP: Double?
    /// `presence_penalty` in [-2, 2]. Default 0.
    public var presencePenalty: Double
    /// `frequency_penalty` in [-2, 2]. Default 0.
    public var frequencyPenalty: Double
    /// `repetition_penalty` > 0. Default 1.
    public var repetitionPenalty: Double
    /// `n`: number of choices. Only 1 is supported; anything else is a 400.
    public var n: Int
    /// `skip_special_tokens`. Default true.
    public var skipSpecialTokens: Bool

    public init(maxTokens: Int? = nil, maxTokensParam: String = "max_tokens", minTokens: Int = 0,
                ignoreEOS: Bool = false, stop: [String] = [], stopTokenIDs: [Int] = [],
                includeStopStringInOutput: Bool = false, seed: Int? = nil, temperature: Double? = nil,
                topP: Double? = nil, topK: Int? = nil, minP: Double? = nil, presencePenalty: Double = 0,
                frequencyPenalty: Double = 0, repetitionPenalty: Double = 1, n: Int = 1,
                skipSpecialTokens: Bool = true) {
        self.maxTokens = maxTokens
        self.maxTokensParam = maxTokensParam
        self.minTokens = minTokens
        self.ignoreEOS = ignoreEOS
        self.stop = stop
        self.stopTokenIDs = stopTokenIDs
        self.includeStopStringInOutput = includeStopStringInOutput
        self.seed = seed
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.repetitionPenalty = repetitionPenalty
        self.n = n
        self.skipSpecialTokens = skipSpecialTokens
    }
}
