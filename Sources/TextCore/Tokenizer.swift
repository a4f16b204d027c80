/// VLServe's simple, deterministic text tokenizer (documented stand-in for Qwen2's byte-level BPE).
///
/// Pre-tokenisation follows the shape of Qwen2's split pattern on UTF-8 bytes:
/// special tokens (`<|im_start|>`, ...) are matched literally; then pieces are
/// ` ?letters+` (letters = ASCII letters and any non-ASCII byte), single digits,
/// ` ?punctuation+`, and whitespace runs (a run's last space joins the following word).
/// A piece found in `Vocabulary` maps to its id; punctuation runs not found are split into
/// characters; anything else becomes one id per UTF-8 byte (ids 0...255). So every text
/// round-trips: `decode(encode(s)) == s`. Counts are close to, but not equal to, Qwen's.
public struct Tokenizer: Sendable {
    public init() {}

    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The id is negative, unused in this vocabulary, or beyond `SpecialTokens.vocabularySize`.
        case unknownTokenID(Int)
        public var description: String {
            switch self {
            case .unknownTokenID(let id): "token id \(id) is not in the vocabulary"
            }
        }
    }

    /// Token ids for `text`. With `parseSpecialTokens` (the default, as Hugging Face tokenizers do),
    /// special-token strings in the text become their ids.
    public func encode(_ text: String, parseSpecialTokens: Bool = true) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3 + 1)
        encode(text, parseSpecialTokens: parseSpecialTokens, into: &ids)
        return ids
    }

    /// Appends the ids of `text` to `ids`.
    public func encode(_ text: String, parseSpecialTokens: Bool = true, into ids: inout [Int32]) {
        let bytes = Array(text.utf8)
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            if parseSpecialTokens, byte == UInt8(ascii: "<"), i + 1 < count, bytes[i + 1] == UInt8(ascii: "|"),
               let (id, length) = Self.matchSpecial(bytes, at: i) {
                ids.append(id)
                i += length
                continue
            }
            if Self.isSpace(byte) {
                var end = i
                while end < count, Self.isSpace(bytes[end]) { end += 1 }
                // The run's final plain space joins a following word or punctuation piece.
                var runEnd = end
                if end < count, bytes[end - 1] == UInt8(ascii: " "), !Self.isDigit(bytes[end]) { runEnd = end - 1 }
                if runEnd > i { appendWhitespace(bytes[i..<runEnd], into: &ids) }
                i = runEnd
                if runEnd == end { continue }
            }
            // A piece with an optional leading space.
            let start = i
            var j = bytes[i] == UInt8(ascii: " ") ? i + 1 : i
            guard j < count else { appendPiece(bytes[start..<count], into: &ids); break }
            let first = bytes[j]
            if Self.isLetter(first) {
                while j < count, Self.isLetter(bytes[j]) { j += 1 }
                appendPiece(bytes[start..<j], into: &ids)
            } else if Self.isDigit(first) {
                if j > start { appendPiece(bytes[start..<j], into: &ids) }
                ids.append(Int32(first))
                j += 1
            } else {
                while j < count, !Self.isLetter(bytes[j]), !Self.isDigit(bytes[j]), !Self.isSpace(bytes[j]),
                      !(parseSpecialTokens && bytes[j] == UInt8(ascii: "<") && Self.matchSpecial(bytes, at: j) != nil) {
                    j += 1
                }
                if j == start + 1 || (j > start && Vocabulary.id(of: bytes[start..<j]) != nil) {
                    appendPiece(bytes[start..<j], into: &ids)
                } else {
                    for k in start..<j { appendPiece(bytes[k..<(k + 1)], into: &ids) }
                }
            }
            i = j
        }
    }

    /// The text of `ids`. Special tokens are rendered as their text unless `skipSpecialTokens`.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = false) throws(DecodeError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of one id.
    public func appendBytes(of id: Int32, skipSpecialTokens: Bool = false,
                            to bytes: inout [UInt8]) throws(DecodeError) {
        if id >= 0, id < 256 {
            bytes.append(UInt8(id))
        } else if id >= Vocabulary.firstWordID, id < Vocabulary.endID {
            bytes.append(contentsOf: Vocabulary.pieceBytes[Int(id - Vocabulary.firstWordID)])
        } else if let special = SpecialTokens.all.first(where: { $0.id == id }) {
            if !skipSpecialTokens { bytes.append(contentsOf: special.text.utf8) }
        } else {
            throw .unknownTokenID(Int(id))
        }
    }

    /// Whether `id` names a piece of text (byte, word, punctuation or special token).
    public func isKnown(_ id: Int32) -> Bool {
        (id >= 0 && id < Vocabulary.endID) || SpecialTokens.all.contains(where: { $0.id == id })
    }

    /// Text of one id for `return_token_strs`-style output; unknown ids give `nil`.
    public func pieceText(_ id: Int32) -> String? {
        var bytes: [UInt8] = []
        do { try appendBytes(of: id, to: &bytes) } catch { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Pieces

    private func appendPiece(_ piece: ArraySlice<UInt8>, into ids: inout [Int32]) {
        if let id = Vocabulary.id(of: piece) {
            ids.append(id)
        } else {
            for byte in piece { ids.append(Int32(byte)) }
        }
    }

    private func appendWhitespace(_ run: ArraySlice<UInt8>, into ids: inout [Int32]) {
        if let id = Vocabulary.id(of: run) { ids.append(id); return }
        var k = run.startIndex
        while k < run.endIndex {
            if run[k] == UInt8(ascii: "\n"), k + 1 < run.endIndex, run[k + 1] == UInt8(ascii: "\n") {
                appendPiece(run[k..<(k + 2)], into: &ids); k += 2
            } else {
                appendPiece(run[k..<(k + 1)], into: &ids); k += 1
            }
        }
    }

    static func matchSpecial(_ bytes: [UInt8], at index: Int) -> (Int32, Int)? {
        for special in SpecialTokens.all {
            let utf8 = special.text.utf8
            guard index + utf8.count <= bytes.count else { continue }
            var matches = true
            var k = index
            for byte in utf8 { if bytes[k] != byte { matches = false; break }; k += 1 }
            if matches { return (special.id, utf8.count) }
        }
        return nil
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
    }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
    }
}
