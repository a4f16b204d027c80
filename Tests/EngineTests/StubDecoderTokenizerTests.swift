import Foundation
import Testing
import TextCore
@testable import Engine

/// The stub decoder over a model's tokenizer (the small BPE of Tests/TextCoreTests/Fixtures): its ids are
/// that tokenizer's words and punctuation, its text their decoding, and its EOS the tokenizer's `<|im_end|>`.
@Suite struct StubDecoderTokenizerTests {
    static let tokenizer: TextTokenizer = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TextCoreTests/Fixtures/tokenizer/tokenizer.json").standardized.path
        return .huggingFace(try! BPETokenizer(contentsOf: path), path: path)
    }()

    @Test func generatesTheTokenizersIDsAndText() throws {
        let tokenizer = Self.tokenizer
        let decoder = StubDecoder(tokenizer: tokenizer)
        var sequence = decoder.makeSequence(parameters: SamplingParameters(maxTokens: 200, ignoreEOS: true), defaultSeed: 3)
        var ids: [Int32] = []
        var text = ""
        while !sequence.isFinished {
            let step = sequence.step()
            ids.append(step.tokenID)
            text += step.text
        }
        let allowed = Set(tokenizer.decoderWordIDs + [tokenizer.byteTokenID(UInt8(ascii: ",")),
                                                     tokenizer.byteTokenID(UInt8(ascii: ".")), tokenizer.eosTokenID])
        #expect(ids.count == 200 && ids.allSatisfy(allowed.contains))
        #expect(text == (try tokenizer.decode(ids.filter { $0 != tokenizer.eosTokenID })))
    }

    @Test func stopsAtTheTokenizersEOS() {
        let decoder = StubDecoder(eosInterval: 2, tokenizer: Self.tokenizer)
        var sequence = decoder.makeSequence(parameters: SamplingParameters(maxTokens: 1000), defaultSeed: 1)
        var last = StubDecoder.Step(tokenID: -1, text: "", finishReason: nil, stopReason: nil)
        while !sequence.isFinished { last = sequence.step() }
        #expect(last.finishReason == .stop)
        #expect(last.tokenID == Self.tokenizer.eosTokenID)
        #expect(Self.tokenizer.eosTokenID != SpecialTokens.eos)
    }
}
