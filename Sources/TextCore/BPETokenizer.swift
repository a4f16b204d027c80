import Foundation

/// A Hugging Face byte-level BPE tokenizer read from `tokenizer.json`, reproducing the `tokenizers`
/// library's `encode(text).ids` and `decode(ids)` for the configuration Qwen2 / Qwen2.5(-VL) ship:
///
/// 1. added tokens (`<|im_start|>`, ...) are cut out of the raw text first, leftmost-longest
///    (`AddedVocabulary`), unless `parseSpecialTokens` is false;
/// 2. each remaining segment is NFC-normalised (`normalizer: NFC`, optional; skipped when `NFCCheck`
///    shows NFC cannot change it);
/// 3. split by Qwen2's regex (`PreTokenizer`, hand-written over Unicode scalars);
/// 4. each piece's UTF-8 bytes are merged by BPE: always the pair of lowest merge rank, leftmost on
///    ties (`Word::merge_all`), with a per-word cache shared by all threads (`BPEWordCache`).
///
/// No post-processor tokens are added (Qwen2's post-processor is ByteLevel, which adds none). Decoding
/// concatenates the tokens' bytes (added tokens' content as UTF-8) and replaces invalid UTF-8 with
/// U+FFFD, as the ByteLevel decoder does. Loading Qwen-sized files (7-8 MB, ~150k tokens) takes about a second. `BPETokenizer.init(json:)` refuses configurations it would not
/// reproduce exactly (other normalizers or pre-tokenizers, dropout, byte fallback, stripping added tokens).
public final class BPETokenizer: Sendable {
    /// An entry of `added_tokens`.
    public struct AddedToken: Sendable, Equatable {
        public var content: String
        public var id: Int32
        /// `special` tokens are dropped by `decode(skipSpecialTokens: true)`.
        public var special: Bool
    }

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        /// The file is a tokenizer.json, but of a configuration this implementation does not reproduce.
        case unsupported(String)

        public var description: String {
            switch self {
            case .unreadable(let detail): "tokenizer.json could not be read: \(detail)"
            case .unsupported(let detail): "tokenizer.json is not a supported byte-level BPE: \(detail)"
            }
        }
    }

    /// Ids of the model's vocabulary, `0..<baseVocabularySize` (`tokenizers`' `get_vocab_size(False)`;
    /// added tokens come after, 151643 for Qwen2).
    public let baseVocabularySize: Int
    /// Added tokens in id order.
    public let addedTokens: [AddedToken]
    /// Number of merges.
    public let mergeCount: Int
    let normalizesNFC: Bool
    let preTokenizer: PreTokenizer
    /// Id of each single byte's token.
    let byteIDs: [Int32]
    /// Merge ranks and results.
    let merges: MergeTable
    /// Bytes of token `id` are `tokenBytes[tokenOffsets[id]..<tokenOffsets[id + 1]]`.
    let tokenBytes: [UInt8]
    let tokenOffsets: [Int32]
    /// Per id: 0 unused, 1 vocabulary, 2 added, 3 added and special.
    let kinds: [UInt8]
    /// Added tokens by the first byte of their content, longest first.
    let addedByFirstByte: [[(bytes: [UInt8], id: Int32)]]
    let cache = BPEWordCache()

    static let unused: UInt8 = 0, vocabularyKind: UInt8 = 1, addedKind: UInt8 = 2, specialKind: UInt8 = 3

    /// Parses and checks `tokenizer.json`'s contents.
    public init(json: Data) throws(LoadError) {
        let file: TokenizerJSON
        do { file = try JSONDecoder().decode(TokenizerJSON.self, from: json) } catch {
            throw .unreadable("\(error)")
        }
        normalizesNFC = try Self.checkNormalizer(file.normalizer)
        preTokenizer = try Self.checkPreTokenizer(file.preTokenizer)
        try Self.checkModel(file.model)
        guard file.decoder?.flattened.map(\.type) == ["ByteLevel"] else {
            throw .unsupported("decoder must be ByteLevel, got \(file.decoder?.flattened.map(\.type) ?? [])")
        }

        // Vocabulary: byte-level spellings to raw bytes, by id.
        var maxID = file.model.vocab.values.max() ?? -1
        for token in file.addedTokens { maxID = max(maxID, token.id) }
        guard maxID < Int(Int32.max) else { throw .unsupported("token id \(maxID) is too large") }
        var bytesByID = [[UInt8]?](repeating: nil, count: maxID + 1)
        var kinds = [UInt8](repeating: Self.unused, count: maxID + 1)
        var idOfBytes: [[UInt8]: Int32] = [:]
        idOfBytes.reserveCapacity(file.model.vocab.count)
        for (token, id) in file.model.vocab {
            guard id >= 0 else { throw .unsupported("negative id \(id)") }
            guard let bytes = ByteLevel.bytes(of: token) else {
                throw .unsupported("vocabulary entry '\(token)' is not byte-level")
            }
            bytesByID[id] = bytes
            kinds[id] = Self.vocabularyKind
            idOfBytes[bytes] = Int32(id)
        }
        baseVocabularySize = file.model.vocab.count
        var byteIDs: [Int32] = []
        for byte in 0...255 {
            guard let id = idOfBytes[[UInt8(byte)]] else {
                throw .unsupported(String(format: "the vocabulary has no token for byte 0x%02X", byte))
            }
            byteIDs.append(id)
        }
        self.byteIDs = byteIDs

        // Merges: rank = position in the list.
        var merges: [(left: Int32, right: Int32, merged: Int32)] = []
        merges.reserveCapacity(file.model.merges.count)
        for merge in file.model.merges {
            guard let left = ByteLevel.bytes(of: merge.left), let right = ByteLevel.bytes(of: merge.right),
                  let leftID = idOfBytes[left], let rightID = idOfBytes[right], let mergedID = idOfBytes[left + right] else {
                throw .unsupported("merge '\(merge.left) \(merge.right)' names tokens missing from the vocabulary")
            }
            merges.append((leftID, rightID, mergedID))
        }
        self.merges = MergeTable(merges)
        mergeCount = file.model.merges.count

        // Added tokens.
        var added: [AddedToken] = []
        var byFirstByte = [[(bytes: [UInt8], id: Int32)]](repeating: [], count: 256)
        for token in file.addedTokens.sorted(by: { $0.id < $1.id }) {
            guard !token.lstrip, !token.rstrip, !token.singleWord, !token.normalized, !token.content.isEmpty else {
                throw .unsupported("added token '\(token.content)' uses lstrip, rstrip, single_word or normalized")
            }
            let bytes = Array(token.content.utf8)
            bytesByID[token.id] = bytes
            kinds[token.id] = token.special ? Self.specialKind : Self.addedKind
            added.append(AddedToken(content: token.content, id: Int32(token.id), special: token.special))
            byFirstByte[Int(bytes[0])].append((bytes, Int32(token.id)))
        }
        for i in byFirstByte.indices { byFirstByte[i].sort { $0.bytes.count > $1.bytes.count } }
        addedTokens = added
        addedByFirstByte = byFirstByte
        self.kinds = kinds

        var data: [UInt8] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(bytesByID.count + 1)
        for bytes in bytesByID {
            if let bytes { data.append(contentsOf: bytes) }
            offsets.append(Int32(data.count))
        }
        tokenBytes = data
        tokenOffsets = offsets
    }

    /// Reads `path` (a `tokenizer.json` file).
    public convenience init(contentsOf path: String) throws(LoadError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable("\(path): \(error.localizedDescription)")
        }
        try self.init(json: data)
    }

    /// All ids with a text: the vocabulary and the added tokens.
    public var vocabularySizeWithAddedTokens: Int { baseVocabularySize + addedTokens.count }

    /// The id of an added token's exact content (`<|im_start|>` → 151644 in Qwen2).
    public func addedTokenID(_ content: String) -> Int32? {
        addedTokens.first { $0.content == content }?.id
    }

    // MARK: - Decoding

    /// Whether `id` has a text (vocabulary or added token).
    public func isKnown(_ id: Int32) -> Bool {
        id >= 0 && Int(id) < kinds.count && kinds[Int(id)] != Self.unused
    }

    /// Appends the bytes of `id` (nothing for a special added token with `skipSpecialTokens`).
    public func appendBytes(of id: Int32, skipSpecialTokens: Bool = false,
                            to bytes: inout [UInt8]) throws(Tokenizer.DecodeError) {
        guard isKnown(id) else { throw .unknownTokenID(Int(id)) }
        if skipSpecialTokens, kinds[Int(id)] == Self.specialKind { return }
        bytes.append(contentsOf: tokenBytes[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])])
    }

    /// Text of `ids` (`tokenizers`' `decode(ids, skip_special_tokens)`); invalid UTF-8 becomes U+FFFD.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = false) throws(Tokenizer.DecodeError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token's spelling as `convert_ids_to_tokens` gives it (`Ġhello`; an added token's content).
    public func tokenString(_ id: Int32) -> String? {
        guard isKnown(id) else { return nil }
        let bytes = tokenBytes[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])]
        return kinds[Int(id)] == Self.vocabularyKind ? ByteLevel.token(of: bytes) : String(decoding: bytes, as: UTF8.self)
    }
}
