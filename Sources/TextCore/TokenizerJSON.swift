/// The parts of a Hugging Face `tokenizer.json` (the `tokenizers` library's serialisation) that a
/// byte-level BPE like Qwen2's uses, decoded with `JSONDecoder`. Unknown keys are ignored; `BPETokenizer`
/// checks that the configuration is one it reproduces exactly.
struct TokenizerJSON: Decodable {
    var addedTokens: [AddedToken]
    var normalizer: Component?
    var preTokenizer: Component?
    var decoder: Component?
    var model: Model

    enum CodingKeys: String, CodingKey {
        case addedTokens = "added_tokens", normalizer, preTokenizer = "pre_tokenizer", decoder, model
    }

    /// One `added_tokens` entry (`tokenizers::AddedToken` plus its id).
    struct AddedToken: Decodable {
        var id: Int
        var content: String
        var singleWord: Bool
        var lstrip: Bool
        var rstrip: Bool
        var normalized: Bool
        var special: Bool

        enum CodingKeys: String, CodingKey {
            case id, content, singleWord = "single_word", lstrip, rstrip, normalized, special
        }
    }

    /// A normalizer, pre-tokenizer or decoder: `type` plus the fields the supported types use.
    /// `Sequence` nests its members in `normalizers` or `pretokenizers`.
    final class Component: Decodable {
        var type: String
        var members: [Component]
        /// `Split`: `{"Regex": ...}` or `{"String": ...}`.
        var pattern: Pattern?
        var behavior: String?
        var invert: Bool?
        /// `ByteLevel`.
        var addPrefixSpace: Bool?
        var useRegex: Bool?

        enum CodingKeys: String, CodingKey {
            case type, normalizers, pretokenizers, decoders, pattern, behavior, invert
            case addPrefixSpace = "add_prefix_space", useRegex = "use_regex"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            members = try c.decodeIfPresent([Component].self, forKey: .normalizers)
                ?? c.decodeIfPresent([Component].self, forKey: .pretokenizers)
                ?? c.decodeIfPresent([Component].self, forKey: .decoders) ?? []
            pattern = try c.decodeIfPresent(Pattern.self, forKey: .pattern)
            behavior = try c.decodeIfPresent(String.self, forKey: .behavior)
            invert = try c.decodeIfPresent(Bool.self, forKey: .invert)
            addPrefixSpace = try c.decodeIfPresent(Bool.self, forKey: .addPrefixSpace)
            useRegex = try c.decodeIfPresent(Bool.self, forKey: .useRegex)
        }

        /// This component and, for `Sequence`, its members in order (flattened).
        var flattened: [Component] { type == "Sequence" ? members.flatMap(\.flattened) : [self] }
    }

    enum Pattern: Decodable, Equatable {
        case regex(String)
        case string(String)

        enum CodingKeys: String, CodingKey { case regex = "Regex", string = "String" }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let value = try c.decodeIfPresent(String.self, forKey: .regex) {
                self = .regex(value)
            } else {
                self = .string(try c.decode(String.self, forKey: .string))
            }
        }
    }

    /// `model`: BPE's vocabulary (byte-level token text → id) and merges, written either as
    /// `"a b"` strings (tokenizers < 0.20) or as `["a", "b"]` pairs.
    struct Model: Decodable {
        var type: String?
        var vocab: [String: Int]
        var merges: [Merge]
        var dropout: Double?
        var unkToken: String?
        var continuingSubwordPrefix: String?
        var endOfWordSuffix: String?
        var byteFallback: Bool?
        var ignoreMerges: Bool?

        enum CodingKeys: String, CodingKey {
            case type, vocab, merges, dropout, unkToken = "unk_token"
            case continuingSubwordPrefix = "continuing_subword_prefix", endOfWordSuffix = "end_of_word_suffix"
            case byteFallback = "byte_fallback", ignoreMerges = "ignore_merges"
        }
    }

    struct Merge: Decodable {
        var left: String
        var right: String

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let pair = try? c.decode([String].self) {
                guard pair.count == 2 else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "a merge pair must have two parts")
                }
                left = pair[0]
                right = pair[1]
            } else {
                let text = try c.decode(String.self)
                guard let space = text.firstIndex(of: " ") else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "merge '\(text)' has no space")
                }
                left = String(text[..<space])
                right = String(text[text.index(after: space)...])
            }
        }
    }
}
