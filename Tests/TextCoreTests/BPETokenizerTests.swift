import Foundation
import Synchronization
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
        // decode(encode(s)) is NFC(s).
        for c in cases.encode where !c.text.contains("<|") {
            #expect(Array(try tokenizer.decode(tokenizer.encode(c.text)).unicodeScalars) == Array(String(decoding: BPETokenizer.nfc(c.text), as: UTF8.self).unicodeScalars))
        }
    }

    /// One tokenizer (and its word cache) used from several threads at once gives the same ids.
    @Test func encodesConcurrently() {
        let fresh = try! BPETokenizer(contentsOf: TokenizerFixtures.directory + "/tokenizer.json")
        let texts = cases.encode
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<20 {
                let c = texts[(worker * 7 + round) % texts.count]
                if fresh.encode(c.text) != c.ids { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
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

@Suite struct NFCTests {
    let nfc = TokenizerFixtures.cases.nfc

    @Test func normalisesEveryScalarNFCChangesLikePython() {
        #expect(nfc.changed.count > 1000)
        for (key, expected) in nfc.changed {
            let scalar = Unicode.Scalar(UInt32(key)!)!
            #expect(String(decoding: BPETokenizer.nfc(String(scalar)), as: UTF8.self).unicodeScalars.map(\.value) == expected, "U+\(key)")
        }
    }

    /// Foundation's normaliser on Linux gets this wrong (U+020F).
    @Test func leavesASupplementaryScalarAndAMarkAlone() {
        #expect(String(decoding: BPETokenizer.nfc("\u{1006F}\u{0311}"), as: UTF8.self).unicodeScalars.map(\.value) == [0x1006F, 0x311])
    }

    @Test func composesHangulLVAndT() {
        for lv in stride(from: UInt32(0xAC00), through: 0xD788, by: 28) {
            for t in UInt32(0x11A8)...0x11C2 {
                let text = String(Unicode.Scalar(lv)!) + String(Unicode.Scalar(t)!)
                #expect(String(decoding: BPETokenizer.nfc(text), as: UTF8.self).unicodeScalars.map(\.value) == [lv + t - 0x11A7])
            }
        }
    }

    /// Text the quick check passes is left alone, so it must flag every scalar NFC could touch.
    @Test func quickCheckFlagsEveryScalarNFCCouldChange() {
        let values = nfc.changed.keys.map { UInt32($0)! } + nfc.composesWithPrevious + nfc.combining
        #expect(values.count > 2000)
        for value in values {
            #expect(PreTokenizer.classify(value) & PreTokenizer.mayChangeUnderNFC != 0, "U+\(String(value, radix: 16))")
        }
        for value: UInt32 in [0x41, 0xE9, 0x4E2D, 0xAC00, 0x1F600, 0x3042] {
            #expect(PreTokenizer.classify(value) & PreTokenizer.mayChangeUnderNFC == 0)
        }
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
