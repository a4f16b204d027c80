import Foundation
import Testing
import TextCore
@testable import Engine

@Suite struct StubDecoderTests {
    func run(_ parameters: SamplingParameters, seed: UInt64 = 7, eosInterval: UInt64 = 128)
        -> (text: String, tokens: Int, finish: EngineFinishReason?, stop: EngineStopReason?) {
        var sequence = StubDecoder(eosInterval: eosInterval).makeSequence(parameters: parameters, defaultSeed: seed)
        var text = ""
        while true {
            let step = sequence.step()
            text += step.text
            if let finish = step.finishReason { return (text, sequence.tokenCount, finish, step.stopReason) }
        }
    }

    @Test func isDeterministicPerSeed() {
        let a = run(SamplingParameters(maxTokens: 50, ignoreEOS: true), seed: 1)
        let b = run(SamplingParameters(maxTokens: 50, ignoreEOS: true), seed: 1)
        let c = run(SamplingParameters(maxTokens: 50, ignoreEOS: true), seed: 2)
        #expect(a.text == b.text)
        #expect(a.text != c.text)
        let explicit = run(SamplingParameters(maxTokens: 50, ignoreEOS: true, seed: 99), seed: 1)
        #expect(explicit.text == run(SamplingParameters(maxTokens: 50, ignoreEOS: true, seed: 99), seed: 2).text)
        let greedy1 = run(SamplingParameters(maxTokens: 20, ignoreEOS: true, seed: 5, temperature: 0))
        let greedy2 = run(SamplingParameters(maxTokens: 20, ignoreEOS: true, seed: 6, temperature: 0))
        #expect(greedy1.text == greedy2.text)
    }

    @Test func honoursMaxTokensWithIgnoreEOS() {
        let result = run(SamplingParameters(maxTokens: 300, ignoreEOS: true), eosInterval: 2)
        #expect(result.tokens == 300)
        #expect(result.finish == .length)
    }

    @Test func stopsAtEOSButNotBeforeMinTokens() {
        let result = run(SamplingParameters(maxTokens: 1000, minTokens: 10), eosInterval: 2)
        #expect(result.finish == .stop)
        #expect(result.stop == nil)
        #expect(result.tokens >= 10)
        #expect(result.tokens < 1000)
    }

    @Test func stopStringCutsTheOutput() {
        let full = run(SamplingParameters(maxTokens: 200, ignoreEOS: true)).text
        // Pick a word in the middle of the reference output and stop on it.
        let words = full.split(separator: " ")
        let target = " " + String(words[words.count / 2]).trimmingCharacters(in: [",", "."])
        let stopped = run(SamplingParameters(maxTokens: 200, ignoreEOS: true, stop: [target]))
        #expect(stopped.finish == .stop)
        #expect(stopped.stop == .string(target))
        #expect(!stopped.text.contains(target))
        #expect(full.hasPrefix(stopped.text))
        let included = run(SamplingParameters(maxTokens: 200, ignoreEOS: true, stop: [target], includeStopStringInOutput: true))
        #expect(included.text == stopped.text + target)
    }

    @Test func stopTokenIDEndsWithoutShowingIt() {
        let comma = Vocabulary.firstPunctuationID + 1
        let result = run(SamplingParameters(maxTokens: 500, ignoreEOS: true, stopTokenIDs: [comma]))
        #expect(result.finish == .stop)
        #expect(result.stop == .tokenID(comma))
        #expect(!result.text.contains(","))
    }

    @Test func streamedDeltasConcatenateToTheText() {
        let parameters = SamplingParameters(maxTokens: 100, ignoreEOS: true, stop: [" zzz qq"])
        var sequence = StubDecoder().makeSequence(parameters: parameters, defaultSeed: 3)
        var text = ""
        var steps = 0
        while !sequence.isFinished { text += sequence.step().text; steps += 1 }
        #expect(steps == 100)
        #expect(text == run(SamplingParameters(maxTokens: 100, ignoreEOS: true), seed: 3).text)
    }
}
