import Foundation

/// The tokenizer in use: the model's own (`tokenizer.json`, byte-level BPE) when one was found,
/// else VLServe's built-in stub vocabulary. The chat template, the server (`/tokenize`, `/detokenize`,
/// prompt token counts), the stub decoder's text and vlbench's datasets all go through this type.
public enum TextTokenizer: Sendable {
    /// `Tokenizer` over the built-in `Vocabulary` (about 230 words; other words cost one token per byte).
    case stub
    /// A Hugging Face `tokenizer.json` (`BPETokenizer`) and the file it came from.
    case huggingFace(BPETokenizer, path: String)

    public typealias DecodeError = Tokenizer.DecodeError

    /// The file name looked for in a model or tokenizer directory.
    public static let fileName = "tokenizer.json"

    /// The tokenizer of a directory: its `tokenizer.json` if there is one (nil if there is none).
    /// Throws when the file exists but cannot be read or uses an unsupported configuration.
    public static func load(directory: String) throws(BPETokenizer.LoadError) -> TextTokenizer? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return .huggingFace(try BPETokenizer(contentsOf: path), path: path)
    }

    /// One line for logs: which tokenizer, from where, and its size.
    public var summary: String {
        switch self {
        case .stub:
            "built-in stub vocabulary (\(Vocabulary.words.count) words, other text one token per byte; "
                + "counts are not the model's)"
        case .huggingFace(let bpe, let path):
            "\(path) (byte-level BPE, \(bpe.baseVocabularySize) tokens, \(bpe.mergeCount) merges, "
                + "\(bpe.addedTokens.count) added tokens of which \(bpe.addedTokens.filter(\.special).count) special)"
        }
    }

    /// `true` for a model's own tokenizer.
    public var isModelTokenizer: Bool {
        if case .huggingFace = self { return true }
        return false
    }

    // MARK: - Encoding

    /// Token ids of `text`; with `parseSpecialTokens` (the default, as Hugging Face tokenizers),
    /// special-token strings in the text become their ids.
    public func encode(_ text: String, parseSpecialTokens: Bool = true) -> [Int32] {
        switch self {
        case .stub: Tokenizer().encode(text, parseSpecialTokens: parseSpecialTokens)
        case .huggingFace(let bpe, _): bpe.encode(text, parseSpecialTokens: parseSpecialTokens)
        }
    }

    /// Appends the ids of `text` to `ids`.
    public func encode(_ text: String, parseSpecialTokens: Bool = true, into ids: inout [Int32]) {
        switch self {
        case .stub: Tokenizer().encode(text, parseSpecialTokens: parseSpecialTokens, into: &ids)
        case .huggingFace(let bpe, _): bpe.encode(text, parseSpecialTokens: parseSpecialTokens, into: &ids)
        }
    }

    /// Number of tokens of `text` (special-token strings count as one each; no BOS/EOS is added, like Qwen2's).
    public func tokenCount(_ text: String) -> Int { encode(text).count }

    // MARK: - Decoding

    /// The text of `ids`. Special tokens are rendered as their text unless `skipSpecialTokens`.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = false) throws(DecodeError) -> String {
        switch self {
        case .stub: try Tokenizer().decode(ids, skipSpecialTokens: skipSpecialTokens)
        case .huggingFace(let bpe, _): try bpe.decode(ids, skipSpecialTokens: skipSpecialTokens)
        }
    }

    /// Appends the UTF-8 bytes of one id.
    public func appendBytes(of id: Int32, skipSpecialTokens: Bool = false, to bytes: inout [UInt8]) throws(DecodeError) {
        switch self {
        case .stub: try Tokenizer().appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes)
        case .huggingFace(let bpe, _): try bpe.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes)
        }
    }

    /// Whether `id` names a piece of text.
    public func isKnown(_ id: Int32) -> Bool {
        switch self {
        case .stub: Tokenizer().isKnown(id)
        case .huggingFace(let bpe, _): bpe.isKnown(id)
        }
    }

    /// One id as `return_token_strs` shows it: the stub's text, or the BPE token's spelling (`Ġhello`) as
    /// `convert_ids_to_tokens` gives it. Unknown ids give nil.
    public func pieceText(_ id: Int32) -> String? {
        switch self {
        case .stub: Tokenizer().pieceText(id)
        case .huggingFace(let bpe, _): bpe.tokenString(id)
        }
    }

    // MARK: - Vocabulary

    /// The id of a special token's text (`<|im_end|>`): the tokenizer's added token, or for the stub
    /// `SpecialTokens.all`'s. Nil if the tokenizer has no such token.
    public func specialTokenID(_ text: String) -> Int32? {
        switch self {
        case .stub: SpecialTokens.all.first { $0.text == text }?.id
        case .huggingFace(let bpe, _): bpe.addedTokenID(text)
        }
    }

    /// The end-of-sequence token of the chat model: `<|im_end|>`'s id (`SpecialTokens.eos` if absent).
    public var eosTokenID: Int32 { specialTokenID("<|im_end|>") ?? SpecialTokens.eos }

    /// Ids that are not added tokens, for drawing random text: the stub's space-prefixed words (ids 257,
    /// 259, ...: any sequence decodes to `" w1 w2 ..."` and re-encodes to the same count), or the whole
    /// base vocabulary `0..<baseVocabularySize` of a model's tokenizer (as vLLM's random dataset draws).
    public var randomTextIDs: [Int32] {
        switch self {
        case .stub:
            (0..<Vocabulary.words.count).map { Vocabulary.firstWordID + 2 * Int32($0) + 1 }
        case .huggingFace(let bpe, _):
            (0..<Int32(bpe.baseVocabularySize)).filter { bpe.kinds[Int($0)] == BPETokenizer.vocabularyKind }
        }
    }

    /// Ids the stub decoder samples words from: the stub's space-prefixed words, or every token of a model's
    /// tokenizer spelled as a space and 2 to 12 ASCII letters (` the`, ` image`, ...).
    public var decoderWordIDs: [Int32] {
        switch self {
        case .stub:
            return randomTextIDs
        case .huggingFace(let bpe, _):
            var ids: [Int32] = []
            for id in 0..<Int32(bpe.kinds.count) where bpe.kinds[Int(id)] == BPETokenizer.vocabularyKind {
                let bytes = bpe.tokenBytes[Int(bpe.tokenOffsets[Int(id)])..<Int(bpe.tokenOffsets[Int(id) + 1])]
                guard (3...13).contains(bytes.count), bytes.first == 0x20,
                      bytes.dropFirst().allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { continue }
                ids.append(id)
            }
            return ids.isEmpty ? [bpe.byteIDs[Int(UInt8(ascii: "a"))]] : ids
        }
    }

    /// The id of a one-byte text such as `","` (the stub decoder's punctuation).
    public func byteTokenID(_ byte: UInt8) -> Int32 {
        switch self {
        case .stub:
            Vocabulary.id(of: [byte][...]) ?? Int32(byte)
        case .huggingFace(let bpe, _):
            bpe.byteIDs[Int(byte)]
        }
    }
}
