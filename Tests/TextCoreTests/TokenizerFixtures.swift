import Foundation
@testable import TextCore

/// `Fixtures/tokenizer/tokenizer.json` and the ids the `tokenizers` library gives for it
/// (`Fixtures/tokenizer_cases.json`, written by scripts/fixtures/make_tokenizer_fixtures.py).
enum TokenizerFixtures {
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer").path

    static let tokenizer: BPETokenizer = {
        try! BPETokenizer(contentsOf: directory + "/tokenizer.json")
    }()

    static let cases: Cases = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer_cases.json")
        return try! JSONDecoder().decode(Cases.self, from: Data(contentsOf: url))
    }()

    struct Cases: Decodable {
        var vocabSize: Int
        var vocabSizeWithAdded: Int
        var added: [String: Int32]
        var encode: [EncodeCase]
        var chat: [ChatCase]
        var nfc: NFCData

        enum CodingKeys: String, CodingKey {
            case vocabSize = "vocab_size", vocabSizeWithAdded = "vocab_size_with_added", added, encode, chat, nfc
        }
    }

    /// Python's unicodedata: the NFC of every scalar NFC changes (keyed by the decimal scalar value), the
    /// scalars that compose with a preceding one, and those of non-zero canonical combining class.
    struct NFCData: Decodable {
        var changed: [String: [UInt32]]
        var composesWithPrevious: [UInt32]
        var combining: [UInt32]

        enum CodingKeys: String, CodingKey {
            case changed, composesWithPrevious = "composes_with_previous", combining
        }
    }

    struct EncodeCase: Decodable {
        var text: String
        var ids: [Int32]
        var decoded: String
        var decodedSkipSpecial: String

        enum CodingKeys: String, CodingKey { case text, ids, decoded, decodedSkipSpecial = "decoded_skip_special" }
    }

    struct ChatCase: Decodable {
        var messages: [Message]
        var imageTokens: [Int]
        var text: String
        var ids: [Int32]

        enum CodingKeys: String, CodingKey { case messages, imageTokens = "image_tokens", text, ids }

        /// The messages as the chat template takes them, images in order with their token counts.
        var promptMessages: [PromptMessage] {
            var images = imageTokens.makeIterator()
            return messages.map { message in
                PromptMessage(role: message.role, parts: message.parts.map { part in
                    switch part {
                    case .text(let text): .text(text)
                    case .image: .image(tokenCount: images.next()!)
                    }
                })
            }
        }
    }

    /// An OpenAI-style message: `content` a string or a list of `{"type": "text", "text"}` / `{"type": "image_url"}`.
    struct Message: Decodable {
        enum Part { case text(String), image }
        var role: String
        var parts: [Part]

        private enum CodingKeys: String, CodingKey { case role, content }
        private struct RawPart: Decodable { var type: String; var text: String? }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            role = try c.decode(String.self, forKey: .role)
            if let text = try? c.decode(String.self, forKey: .content) {
                parts = [.text(text)]
            } else {
                parts = try c.decode([RawPart].self, forKey: .content).map { $0.type == "text" ? .text($0.text ?? "") : .image }
            }
        }
    }
}
