import TextCore

/// The stub language model: per-sequence deterministic token generation with vLLM's stop rules.
///
/// Tokens come from the tokenizer's vocabulary (`TextTokenizer.decoderWordIDs`): mostly words with a
/// leading space, with `,` and `.` now and then, drawn from `SplitMix64(seed)` (seed 0 when
/// `temperature == 0`); their text is the tokenizer's decoding. Each step, once `minTokens` are
/// out and `ignoreEOS` is off, EOS (the tokenizer's `<|im_end|>`) is drawn with probability `1/eosInterval`.
/// Stop checks mirror vLLM's `StopChecker`: nothing stops a sequence before `minTokens`; a stop
/// token id ends it without showing the token; a stop string ends it with the text cut before the
/// match (or after it with `includeStopStringInOutput`); text that could be the start of a stop
/// string is held back until it cannot; `maxTokens` ends it with `length`.
public struct StubDecoder: Sendable {
    /// Mean number of tokens between EOS draws (after `minTokens`, without `ignoreEOS`). Default 128.
    public var eosInterval: UInt64
    /// The tokenizer whose ids and text the decoder produces (the stub vocabulary by default).
    public let tokenizer: TextTokenizer
    private let palette: Palette

    /// The ids drawn from.
    struct Palette: Sendable {
        var words: [Int32]
        var comma: Int32
        var period: Int32
        var eos: Int32
    }

    public init(eosInterval: UInt64 = 128, tokenizer: TextTokenizer = .stub) {
        self.eosInterval = max(1, eosInterval)
        self.tokenizer = tokenizer
        palette = Palette(words: tokenizer.decoderWordIDs, comma: tokenizer.byteTokenID(UInt8(ascii: ",")),
                          period: tokenizer.byteTokenID(UInt8(ascii: ".")), eos: tokenizer.eosTokenID)
    }

    /// A fresh generator for one sequence.
    public func makeSequence(parameters: SamplingParameters, defaultSeed: UInt64) -> SequenceGenerator {
        let seed = parameters.temperature == 0 ? 0 : (parameters.seed ?? defaultSeed)
        return SequenceGenerator(parameters: parameters, rng: SplitMix64(seed: seed), eosInterval: eosInterval,
                                 tokenizer: tokenizer, palette: palette)
    }

    /// The result of one decode step of one sequence.
    public struct Step: Sendable, Equatable {
        public var tokenID: Int32
        /// New visible text (may be empty while a possible stop string is held back).
        public var text: String
        public var finishReason: EngineFinishReason?
        public var stopReason: EngineStopReason?
    }

    /// The state of one sequence's generation.
    public struct SequenceGenerator: Sendable {
        public let parameters: SamplingParameters
        private var rng: SplitMix64
        private let eosInterval: UInt64
        private let tokenizer: TextTokenizer
        private let palette: Palette
        /// Tokens generated so far (EOS and stop tokens included, as vLLM counts them).
        public private(set) var tokenCount = 0
        /// Generated text (UTF-8), of which `emitted` bytes were handed out.
        private var text: [UInt8] = []
        private var emitted = 0
        private let stopBytes: [[UInt8]]
        private let maxStopLength: Int
        public private(set) var isFinished = false

        init(parameters: SamplingParameters, rng: SplitMix64, eosInterval: UInt64, tokenizer: TextTokenizer,
             palette: Palette) {
            self.parameters = parameters
            self.rng = rng
            self.eosInterval = eosInterval
            self.tokenizer = tokenizer
            self.palette = palette
            stopBytes = parameters.stop.filter { !$0.isEmpty }.map { Array($0.utf8) }
            maxStopLength = stopBytes.map(\.count).max() ?? 0
        }

        /// Draws the next token id (without applying stop rules).
        mutating func sample() -> Int32 {
            let mayEnd = tokenCount >= parameters.minTokens && !parameters.ignoreEOS
            if mayEnd, rng.next() % eosInterval == 0 { return palette.eos }
            let roll = rng.next() % 100
            if roll < 6 { return palette.comma }
            if roll < 10 { return palette.period }
            return palette.words[Int(rng.next() % UInt64(palette.words.count))]   // " word"
        }

        /// Generates one token and applies the stop rules. Call only while `!isFinished`.
        public mutating func step() -> Step {
            precondition(!isFinished, "step() after the sequence finished")
            let token = sample()
            tokenCount += 1
            let canStop = tokenCount >= parameters.minTokens
            if canStop, token == palette.eos, !parameters.ignoreEOS {
                return finish(token, .stop, nil)
            }
            if canStop, parameters.stopTokenIDs.contains(token) {
                return finish(token, .stop, .tokenID(token))
            }
            let before = text.count
            if token == palette.eos {
                // ignore_eos: the EOS token is generated but (like a skipped special token) not shown.
            } else {
                try? tokenizer.appendBytes(of: token, to: &text)
            }
            if canStop, !stopBytes.isEmpty, let (position, stop) = findStop(from: before) {
                let cut = parameters.includeStopStringInOutput ? position + stop.count : position
                text.removeSubrange(cut...)
                return finish(token, .stop, .string(String(decoding: stop, as: UTF8.self)))
            }
            if tokenCount >= parameters.maxTokens { return finish(token, .length, nil) }
            let visibleEnd = text.count - heldBack()
            guard visibleEnd > emitted else { return Step(tokenID: token, text: "", finishReason: nil, stopReason: nil) }
            let delta = String(decoding: text[emitted..<visibleEnd], as: UTF8.self)
            emitted = visibleEnd
            return Step(tokenID: token, text: delta, finishReason: nil, stopReason: nil)
        }

        private mutating func finish(_ token: Int32, _ reason: EngineFinishReason, _ stop: EngineStopReason?) -> Step {
            isFinished = true
            let delta = emitted < text.count ? String(decoding: text[emitted...], as: UTF8.self) : ""
            emitted = text.count
            return Step(tokenID: token, text: delta, finishReason: reason, stopReason: stop)
        }

        /// Earliest stop-string match that overlaps the bytes added since `from`.
        private func findStop(from: Int) -> (Int, [UInt8])? {
            var best: (Int, [UInt8])?
            for stop in stopBytes {
                var start = max(0, from - stop.count + 1)
                while start + stop.count <= text.count {
                    if text[start..<(start + stop.count)].elementsEqual(stop) {
                        if best == nil || start < best!.0 { best = (start, stop) }
                        break
                    }
                    start += 1
                }
            }
            return best
        }

        /// Length of the longest text suffix that is a proper prefix of some stop string.
        private func heldBack() -> Int {
            guard maxStopLength > 1 else { return 0 }
            var longest = 0
            for stop in stopBytes {
                var length = min(stop.count - 1, text.count - emitted)
                while length > longest {
                    if text[(text.count - length)...].elementsEqual(stop[0..<length]) { longest = length; break }
                    length -= 1
                }
            }
            return longest
        }
    }
}
