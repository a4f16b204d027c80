import Foundation
import Testing
@testable import TextCore

@Suite struct BPETokenizerTests {
    let tokenizer = TokenizerFixtures.tokenizer
    let cases = TokenizerFixtures.cases

    @Test func loadsTheVocabularyAndAddedTokens() {
        #expect(tokenizer.baseVocabularySize == cases.vocabSize)
        #expect(tokenizer.vocabularySizeWithAddedTokens == cases.vocabSizeWithAdded)
        for (content, id) in cases.added { #expect(tokenizer.addedTokenID(content) == id, "\(content)") }
        #expect(tokenizer.addedTokens.filter(\.special).count == 14)
    }

    @Test(arguments: TokenizerFixtures.cases.encode.indices)
    func encodesExactlyLikeTheTokenizersLibrary(index: Int) throws {
        let c = cases.encode[index]
        #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
        // Again, now from the word cache.
        #expect(tokenizer.encode(c.text) == c.ids)
        #expect(try tokenizer.decode(c.ids) == c.decoded)
        #expect(try tokenizer.decode(c.ids, skipSpecialTokens: true) == c.decodedSkipSpecial)
    }

    @Test func textWithoutSpecialTokensRoundTrips() throws {
        for c in cases.encode where !c.text.contains("<|") {
            #expect(try tokenizer.decode(tokenizer.encode(c.text)) == c.text.precomposedStringWithCanonicalMapping)
        }
    }

    @Test func specialTokenTextIsPlainWhenNotParsed() throws {
        let ids = tokenizer.encode("<|im_start|>", parseSpecialTokens: false)
        #expect(ids.count > 1 && !ids.contains(cases.added["<|im_start|>"]!))
        #expect(try tokenizer.decode(ids) == "<|im_start|>")
    }

    @Test func unknownIDsAreRejected() {
        let end = Int32(cases.vocabSizeWithAdded)
        #expect(!tokenizer.isKnown(end) && !tokenizer.isKnown(-1))
        #expect(throws: Tokenizer.DecodeError.unknownTokenID(Int(end))) { try tokenizer.decode([end]) }
    }

    @Test func tokenStringsAreByteLevelSpellings() {
        let ids = tokenizer.encode(" the")
        #expect(ids.count == 1)
        #expect(tokenizer.tokenString(ids[0]) == "Ġthe")
        #expect(tokenizer.tokenString(cases.added["<|im_end|>"]!) == "<|im_end|>")
    }

    @Test func refusesConfigurationsItDoesNotReproduce() throws {
        let original = try String(contentsOfFile: TokenizerFixtures.directory + "/tokenizer.json", encoding: .utf8)
        let edits = [
            (#""normalizer":{"type":"NFC"}"#, #""normalizer":{"type":"NFKC"}"#),
            (#"\\p{N}|"#, #"\\p{N}{1,3}|"#),
            (#""byte_fallback":false"#, #""byte_fallback":true"#),
        ]
        for (from, to) in edits {
            #expect(original.contains(from), "\(from)")
            let edited = original.replacingOccurrences(of: from, with: to)
            #expect(throws: BPETokenizer.LoadError.self) { try BPETokenizer(json: Data(edited.utf8)) }
        }
        #expect(throws: BPETokenizer.LoadError.self) { try BPETokenizer(json: Data("{}".utf8)) }
    }
}

@Suite struct TextTokenizerTests {
    @Test func loadsTokenizerJSONFromADirectory() throws {
        let loaded = try TextTokenizer.load(directory: TokenizerFixtures.directory)
        #expect(loaded?.isModelTokenizer == true)
        #expect(loaded?.summary.contains("byte-level BPE") == true)
        #expect(try TextTokenizer.load(directory: NSTemporaryDirectory() + "/no-such-dir-\(UInt64.random(in: 0...UInt64.max))") == nil)
        #expect(!TextTokenizer.stub.isModelTokenizer)
    }

    @Test func specialTokenIDsComeFromTheTokenizer() {
        let bpe = TextTokenizer.huggingFace(TokenizerFixtures.tokenizer, path: "fixture")
        #expect(bpe.eosTokenID == TokenizerFixtures.cases.added["<|im_end|>"])
        #expect(TextTokenizer.stub.eosTokenID == SpecialTokens.eos)
        #expect(TextTokenizer.stub.specialTokenID("<|image_pad|>") == SpecialTokens.imagePad)
    }

    @Test func randomAndDecoderIDsAreOrdinaryTokens() throws {
        let bpe = TextTokenizer.huggingFace(TokenizerFixtures.tokenizer, path: "fixture")
        let random = bpe.randomTextIDs
        #expect(random.count == TokenizerFixtures.cases.vocabSize)
        #expect(!random.contains(bpe.eosTokenID))
        let words = bpe.decoderWordIDs
        #expect(words.count > 20)
        for id in words { #expect(try bpe.decode([id]).first == " ") }
        #expect(TextTokenizer.stub.decoderWordIDs.count == Vocabulary.words.count)
        #expect(try bpe.decode([bpe.byteTokenID(UInt8(ascii: ","))]) == ",")
        #expect(try TextTokenizer.stub.decode([TextTokenizer.stub.byteTokenID(UInt8(ascii: "."))]) == ".")
    }
}

@Suite struct ChatTemplateBPETests {
    /// The bar of issue 12: with a model's tokenizer.json, the chat-templated prompt has exactly the ids
    /// (so the count) that the `tokenizers` library gives for Qwen2.5-VL's template text.
    @Test(arguments: TokenizerFixtures.cases.chat.indices)
    func rendersTheIDsOfTheTemplatedText(index: Int) throws {
        let c = TokenizerFixtures.cases.chat[index]
        let template = ChatTemplate(tokenizer: .huggingFace(TokenizerFixtures.tokenizer, path: "fixture"))
        let ids = template.render(c.promptMessages)
        #expect(ids == c.ids)
        #expect(try template.tokenizer.decode(ids) == c.text)
    }
}
