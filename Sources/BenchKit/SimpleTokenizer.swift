/// vlbench's local tokenizer, used when the server has no `/tokenize`. It is deliberately simple and
/// self-consistent rather than model-exact: `encode(decode(ids)) == ids` for every id, so random
/// prompts have exactly the intended client-side length.
///
/// - Vocabulary: `vocabSize` ids; id n is the bijective base-26 word for n+1 ("a", "b", …, "z",
///   "aa", …), so every id below 18,278 is a lowercase word of at most 3 letters.
/// - Encoding: letters are split into runs of at most 4 (each run one token), every digit, punctuation
///   mark or non-ASCII scalar is one token, whitespace separates and costs nothing.
/// - No special tokens (`numSpecialTokens` = 0, like Qwen).
public struct SimpleTokenizer: Sendable {
    public let vocabSize: Int
    public var numSpecialTokens: Int { 0 }

    /// - Parameter vocabSize: number of ids; default 18,278 (all words of 1–3 letters).
    public init(vocabSize: Int = 18_278) {
        precondition(vocabSize > 0)
        self.vocabSize = vocabSize
    }

    /// The word for `id` (bijective base 26 of id+1).
    public func word(_ id: Int) -> String {
        var n = (id % vocabSize + vocabSize) % vocabSize + 1
        var scalars: [UInt8] = []
        while n > 0 {
            n -= 1
            scalars.append(UInt8(ascii: "a") + UInt8(n % 26))
            n /= 26
        }
        return String(decoding: scalars.reversed(), as: UTF8.self)
    }

    /// Words joined by single spaces.
    public func decode(_ ids: [Int]) -> String { ids.map(word).joined(separator: " ") }

    /// Token ids of `text` (see the type's rules). Letter runs longer than 4 are split every 4;
    /// ids of pieces outside the vocabulary are folded into it by a stable hash.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        var run: [UInt8] = []
        func flush() {
            var start = 0
            while start < run.count {
                let piece = run[start..<min(start + 4, run.count)]
                var n = 0
                for b in piece { n = n * 26 + Int(ASCIILetter.lower(b) - UInt8(ascii: "a")) + 1 }
                ids.append((n - 1) % vocabSize)
                start += 4
            }
            run.removeAll(keepingCapacity: true)
        }
        for u in text.unicodeScalars {
            if u.isASCII, ASCIILetter.isLetter(UInt8(u.value)) {
                run.append(UInt8(u.value))
                continue
            }
            flush()
            if u == " " || u == "\n" || u == "\t" || u == "\r" { continue }
            ids.append(Int(u.value) % vocabSize)
        }
        flush()
        return ids
    }

    /// Number of tokens in `text`.
    public func count(_ text: String) -> Int { encode(text).count }
}

enum ASCIILetter {
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
}
