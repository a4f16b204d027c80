/// The built-in word list of VLServe's stub tokenizer and decoder.
///
/// Ids: 0...255 are raw UTF-8 bytes (any text is representable); word `i` of `words` is
/// id `256 + 2i` without and `257 + 2i` with a leading space; `punctuation[j]` is
/// `256 + 2 * words.count + j`. Everything else up to 151642 is unused.
public enum Vocabulary {
    public static let words: [String] = """
    the of and to in is was that for it with as on be at by this had not are but from or have an they \
    which one you were her all she there would their we him been has when who will more no if out so said \
    what up its about into than them can only other new some could time these two may then do first any my \
    now such like our over man me even most made after also did many before must through back years where \
    much your way well down should because each just those people how too little state good very make world \
    still own see men work long get here between both life being under never day same another know while last \
    might us great old year off come since against go came right used take three image picture photo shows \
    small large red blue green yellow white black dark bright light cat dog bird tree sky sun water road car \
    house building street city field grass flower table chair window door person woman child face hand \
    background foreground left center top bottom near behind front side sitting standing looking holding \
    wearing colorful scene view clear detailed appears there visible object objects several few group \
    A The In This It There
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    public static let punctuation: [String] = [".", ",", "!", "?", ":", ";", "'", "\"", "(", ")", "-", "\n", "\n\n", " "]

    public static let firstWordID: Int32 = 256
    public static var firstPunctuationID: Int32 { firstWordID + Int32(2 * words.count) }
    /// One past the last id with a text of its own.
    public static var endID: Int32 { firstPunctuationID + Int32(punctuation.count) }

    /// Text of every non-byte id below `endID`, indexed by `id - 256`.
    static let pieces: [String] = {
        var result: [String] = []
        result.reserveCapacity(2 * words.count + punctuation.count)
        for word in words { result.append(word); result.append(" " + word) }
        result.append(contentsOf: punctuation)
        return result
    }()

    /// Piece text (UTF-8) to id.
    static let ids: [[UInt8]: Int32] = {
        var map: [[UInt8]: Int32] = [:]
        for (offset, piece) in pieces.enumerated() where map[Array(piece.utf8)] == nil {
            map[Array(piece.utf8)] = firstWordID + Int32(offset)
        }
        return map
    }()

    /// Fast piece lookup without allocating: FNV-1a 64 of the bytes → id, confirmed against `pieceBytes`.
    /// Same answers as `ids[Array(piece)]` (the reference; see `VocabularyTests`).
    static func id(of piece: ArraySlice<UInt8>) -> Int32? {
        guard let id = idsByHash[fnv1a(piece)],
              pieceBytes[Int(id - firstWordID)].elementsEqual(piece) else { return nil }
        return id
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    static let idsByHash: [UInt64: Int32] = {
        var map: [UInt64: Int32] = [:]
        for (bytes, id) in ids {
            precondition(map[fnv1a(bytes)] == nil || map[fnv1a(bytes)] == id, "FNV collision in the built-in vocabulary")
            map[fnv1a(bytes)] = id
        }
        return map
    }()

    /// UTF-8 bytes of each piece, indexed by `id - 256` (for fast detokenisation).
    static let pieceBytes: [[UInt8]] = pieces.map { Array($0.utf8) }
}
