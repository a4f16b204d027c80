import Testing
@testable import TextCore

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    @Test func roundTripsArbitraryText() throws {
        for text in ["Describe this image.", "  two  spaces\n\nand tabs\t!", "Zürich 2026 — ok?!", "", "a<|b", "x  "] {
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids) == text)
        }
    }

    @Test func knownWordsAreSingleTokens() {
        let ids = tokenizer.encode("the cat is on the table.")
        #expect(ids.count == 7)
        #expect(ids.allSatisfy { $0 >= Vocabulary.firstWordID })
    }

    @Test func unknownWordsFallBackToBytes() {
        #expect(tokenizer.encode("qz") == [Int32(UInt8(ascii: "q")), Int32(UInt8(ascii: "z"))])
        #expect(tokenizer.encode("42") == [52, 50])
    }

    @Test func specialTokensAreParsed() throws {
        let ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>")
        #expect(ids.first == SpecialTokens.imStart)
        #expect(ids.last == SpecialTokens.imEnd)
        #expect(tokenizer.encode("<|im_end|>", parseSpecialTokens: false).count > 1)
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "user\nhi")
    }

    @Test func unknownIDsAreRejected() {
        #expect(throws: Tokenizer.DecodeError.unknownTokenID(100_000)) { try tokenizer.decode([100_000]) }
        #expect(throws: Tokenizer.DecodeError.unknownTokenID(-1)) { try tokenizer.decode([-1]) }
    }
}

@Suite struct ChatTemplateTests {
    @Test func insertsDefaultSystemPromptAndExpandsImages() throws {
        let template = ChatTemplate()
        let messages = [PromptMessage(role: "user", parts: [.image(tokenCount: 4), .text("Describe this image.")])]
        let ids = template.render(messages)
        let text = try template.tokenizer.decode(ids)
        #expect(text == "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
            + "<|vision_start|>" + String(repeating: "<|image_pad|>", count: 4)
            + "<|vision_end|>Describe this image.<|im_end|>\n<|im_start|>assistant\n")
        #expect(ids.filter { $0 == SpecialTokens.imagePad }.count == 4)
        let withoutImage = template.render([PromptMessage(role: "user", text: "Describe this image.")])
        #expect(ids.count == withoutImage.count + 4 + 2)
    }

    @Test func keepsAnExplicitSystemMessage() throws {
        let template = ChatTemplate()
        let ids = template.render([PromptMessage(role: "system", text: "Be brief."), PromptMessage(role: "user", text: "Hi")],
                                  addGenerationPrompt: false)
        #expect(try template.tokenizer.decode(ids) == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
        #expect(template.renderText([PromptMessage(role: "system", text: "Be brief."), PromptMessage(role: "user", text: "Hi")],
                                    addGenerationPrompt: false) == (try template.tokenizer.decode(ids)))
    }
}

@Suite struct VocabularyTests {
    @Test func fastLookupMatchesTheDictionary() {
        for (bytes, id) in Vocabulary.ids {
            #expect(Vocabulary.id(of: bytes[...]) == id)
            #expect(Vocabulary.id(of: (bytes + [UInt8(ascii: "x")])[...]) == Vocabulary.ids[bytes + [UInt8(ascii: "x")]])
        }
        var rng = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let length = Int(rng.next() % 8) + 1
            let bytes = (0..<length).map { _ in UInt8(32 + rng.next() % 95) }
            #expect(Vocabulary.id(of: bytes[...]) == Vocabulary.ids[bytes])
        }
    }
}
