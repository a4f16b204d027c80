/// Collects sampling fields while a decoder walks the request's top-level members, then validates them.
struct SamplingOptionsBuilder {
    enum Flavor { case chat, completion }
    let flavor: Flavor
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var options = SamplingOptions()
    var logprobsRequested = false
    var topLogprobs: Int?

    init(flavor: Flavor) { self.flavor = flavor }

    /// Consumes `key` if it is a sampling field; returns false for other keys.
    mutating func consume(_ key: String, _ value: JSONValue) throws(APIError) -> Bool {
        typealias F = FieldDecoding
        switch key {
        case "max_tokens": maxTokens = try F.optionalInt(value, key)
        case "max_completion_tokens":
            guard flavor == .chat else { return false }
            maxCompletionTokens = try F.optionalInt(value, key)
        case "min_tokens": options.minTokens = try F.optionalInt(value, key) ?? 0
        case "ignore_eos": options.ignoreEOS = try F.bool(value, key, default: false)
        case "stop": options.stop = try Self.decodeStop(value)
        case "stop_token_ids":
            if value != .null { options.stopTokenIDs = try F.intArray(value, key) }
        case "include_stop_str_in_output": options.includeStopStringInOutput = try F.bool(value, key, default: false)
        case "seed": options.seed = try F.optionalInt(value, key)
        case "temperature": options.temperature = try F.optionalDouble(value, key)
        case "top_p": options.topP = try F.optionalDouble(value, key)
        case "top_k":
            let k = try F.optionalInt(value, key)
            if let k, k < -1 {
                throw APIError.invalidRequest("top_k must be -1 (disable), 0 (disable), or at least 1, got \(k).",
                                              param: key)
            }
            options.topK = (k ?? 0) >= 1 ? k : nil
        case "min_p": options.minP = try F.optionalDouble(value, key)
        case "presence_penalty": options.presencePenalty = try F.optionalDouble(value, key) ?? 0
        case "frequency_penalty": options.frequencyPenalty = try F.optionalDouble(value, key) ?? 0
        case "repetition_penalty": options.repetitionPenalty = try F.optionalDouble(value, key) ?? 1
        case "n": options.n = try F.optionalInt(value, key) ?? 1
        case "skip_special_tokens": options.skipSpecialTokens = try F.bool(value, key, default: true)
        case "logprobs":
            switch flavor {
            case .chat:
                logprobsRequested = try F.bool(value, key, default: false)
            case .completion:
                if let k = try F.optionalInt(value, key) {
                    if k < 0 { throw APIError.invalidRequest("`logprobs` must be a non-negative integer, got \(k).", param: key) }
                    logprobsRequested = true
                }
            }
        case "top_logprobs":
            guard flavor == .chat else { return false }
            topLogprobs = try F.optionalInt(value, key)
        case "use_beam_search":
            if try F.bool(value, key, default: false) {
                throw APIError.invalidRequest("`use_beam_search` is not supported by this server; omit it or set it to false.", param: key)
            }
        case "best_of":
            if let b = try F.optionalInt(value, key), b != 1 {
                throw APIError.invalidRequest("Only best_of=1 is supported, got best_of=\(b).", param: key)
            }
        default:
            return false
        }
        return true
    }

    static func decodeStop(_ value: JSONValue) throws(APIError) -> [String] {
        switch value {
        case .null: return []
        case .string(let s):
            if s.isEmpty { throw APIError.invalidRequest("stop cannot contain an empty string.", param: "stop") }
            return [s]
        case .array(let items):
            var out: [String] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let s = try FieldDecoding.string(item, "stop[\(i)]")
                if s.isEmpty { throw APIError.invalidRequest("stop cannot contain an empty string.", param: "stop[\(i)]") }
                out.append(s)
            }
            return out
        default:
            throw FieldDecoding.typeError("stop", expected: "a string, an array of strings or null", got: value)
        }
    }

    /// Applies defaults and vLLM's range checks.
    /// - Parameter defaultMaxTokens: the cap when the client sends none (16 for completions, nil for chat).
    mutating func finish(defaultMaxTokens: Int?) throws(APIError) -> SamplingOptions {
        var o = options
        if let m = maxCompletionTokens {
            o.maxTokens = m
            o.maxTokensParam = "max_completion_tokens"
        } else if let m = maxTokens {
            o.maxTokens = m
            o.maxTokensParam = "max_tokens"
        } else {
            o.maxTokens = defaultMaxTokens
            o.maxTokensParam = "max_tokens"
        }
        let p = o.maxTokensParam
        if let m = o.maxTokens, m < 1 {
            throw APIError.invalidRequest("\(p) must be at least 1, got \(m).", param: p)
        }
        if o.minTokens < 0 {
            throw APIError.invalidRequest("min_tokens must be greater than or equal to 0, got \(o.minTokens).",
                                          param: "min_tokens")
        }
        if let m = o.maxTokens, o.minTokens > m {
            throw APIError.invalidRequest("min_tokens must be less than or equal to \(p)=\(m), got \(o.minTokens).",
                                          param: "min_tokens")
        }
        if o.n < 1 { throw APIError.invalidRequest("n must be at least 1, got \(o.n).", param: "n") }
        if o.n != 1 { throw APIError.invalidRequest("Only n=1 is supported by this server, got n=\(o.n).", param: "n") }
        if let t = o.temperature, t < 0 {
            throw APIError.invalidRequest("temperature must be non-negative, got \(t).", param: "temperature")
        }
        if let t = o.topP, !(t > 0 && t <= 1) {
            throw APIError.invalidRequest("top_p must be in (0, 1], got \(t).", param: "top_p")
        }
        if let m = o.minP, !(m >= 0 && m <= 1) {
            throw APIError.invalidRequest("min_p must be in [0, 1], got \(m).", param: "min_p")
        }
        if !(o.presencePenalty >= -2 && o.presencePenalty <= 2) {
            throw APIError.invalidRequest("presence_penalty must be in [-2, 2], got \(o.presencePenalty).",
                                          param: "presence_penalty")
        }
        if !(o.frequencyPenalty >= -2 && o.frequencyPenalty <= 2) {
            throw APIError.invalidRequest("frequency_penalty must be in [-2, 2], got \(o.frequencyPenalty).",
                                          param: "frequency_penalty")
        }
        if !(o.repetitionPenalty > 0) {
            throw APIError.invalidRequest("repetition_penalty must be greater than zero, got \(o.repetitionPenalty).",
                                          param: "repetition_penalty")
        }
        for (i, id) in o.stopTokenIDs.enumerated() where id < 0 {
            throw APIError.invalidRequest("stop_token_ids must be non-negative token ids, got \(id).",
                                          param: "stop_token_ids[\(i)]")
        }
        if let k = topLogprobs, k != 0 {
            if k < 0 || k > 20 {
                throw APIError.invalidRequest("top_logprobs must be between 0 and 20, got \(k).", param: "top_logprobs")
            }
            if !logprobsRequested {
                throw APIError.invalidRequest("when using `top_logprobs`, `logprobs` must be set to true.",
                                              param: "top_logprobs")
            }
        }
        if logprobsRequested {
            throw APIError.invalidRequest("logprobs are not supported by this server; omit `logprobs` or set it to "
                                              + (flavor == .chat ? "false." : "null."), param: "logprobs")
        }
        return o
    }
}
