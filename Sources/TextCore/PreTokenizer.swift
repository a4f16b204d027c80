/// Qwen2's pre-tokenizer regex, implemented by hand over Unicode scalars (no regex engine):
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// with the leftmost-first alternation and backtracking of Oniguruma, which `tokenizers` uses for
/// `Split(pattern, behavior: Isolated)`: every scalar belongs to exactly one piece, pieces in order.
/// Classes: `\p{L}` is general category L*, `\p{N}` is N*, `\s` is the Unicode White_Space property;
/// the case-insensitive contractions also match U+017F (ſ), which case-folds to `s`.
struct PreTokenizer: Sendable {
    /// The split pattern of Qwen2 / Qwen2.5 (and Qwen2.5-VL) `tokenizer.json`.
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Scalar classes the pattern distinguishes.
    enum Class {
        static let other: UInt8 = 0       // not \s, \p{L} or \p{N}
        static let letter: UInt8 = 1      // \p{L}
        static let number: UInt8 = 2      // \p{N}
        static let space: UInt8 = 3       // \s other than \r and \n
        static let newline: UInt8 = 4     // \r or \n
    }

    /// Set in `classify`'s result when NFC might change text containing the scalar (`NFCCheck`, marks).
    static let mayChangeUnderNFC: UInt8 = 0x80

    /// The scalar's `Class`, with `mayChangeUnderNFC` set for combining marks and `NFCCheck`'s scalars.
    /// `\s` (White_Space) outside ASCII is general category Zs, Zl or Zp, or U+0085.
    @inline(__always)
    static func classify(_ value: UInt32) -> UInt8 {
        if value < 128 {
            switch value {
            case 0x61...0x7A, 0x41...0x5A: return Class.letter
            case 0x30...0x39: return Class.number
            case 0x20, 0x09, 0x0B, 0x0C: return Class.space
            case 0x0A, 0x0D: return Class.newline
            default: return Class.other
            }
        }
        let nfc = NFCCheck.mayChange(value) ? mayChangeUnderNFC : 0
        switch Unicode.Scalar(value)!.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return Class.letter | nfc
        case .decimalNumber, .letterNumber, .otherNumber: return Class.number | nfc
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return Class.space | nfc
        case .nonspacingMark, .spacingMark, .enclosingMark: return Class.other | mayChangeUnderNFC
        case .control: return value == 0x85 ? Class.space : Class.other
        default: return Class.other | nfc
        }
    }

    /// Calls `body(start, end)` for each piece of `scalars[0..<count]` (scalar indices, `end` exclusive).
    /// `classes[i]` is `classify(scalars[i])`.
    @inline(__always)
    func split(scalars: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt8>,
               _ body: (Int, Int) -> Void) {
        let count = scalars.count
        var i = 0
        while i < count {
            let end = pieceEnd(at: i, scalars: scalars, classes: classes, count: count)
            body(i, end)
            i = end
        }
    }

    /// End of the match of the pattern at `i` (always at least `i + 1`).
    @inline(__always)
    private func pieceEnd(at i: Int, scalars: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt8>,
                          count: Int) -> Int {
        let c = classes[i]
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if scalars[i] == 0x27, i + 1 < count {
            let a = Self.folded(scalars[i + 1])
            if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return i + 2 }          // s t m d
            if i + 2 < count {
                let b = Self.folded(scalars[i + 2])
                if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return i + 3 }  // re ve ll
            }
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if c == Class.letter { return letters(from: i + 1, classes, count) }
        if c != Class.newline, c != Class.number, i + 1 < count, classes[i + 1] == Class.letter {
            return letters(from: i + 2, classes, count)
        }
        // \p{N}
        if c == Class.number { return i + 1 }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var j = i
        if scalars[i] == 0x20, i + 1 < count, classes[i + 1] == Class.other { j = i + 1 }
        if classes[j] == Class.other {
            j += 1
            while j < count, classes[j] == Class.other { j += 1 }
            while j < count, classes[j] == Class.newline { j += 1 }
            return j
        }
        // c is \s from here on. The whitespace run [i, runEnd).
        var runEnd = i + 1
        var lastNewline = c == Class.newline ? i : -1
        while runEnd < count, classes[runEnd] >= Class.space {
            if classes[runEnd] == Class.newline { lastNewline = runEnd }
            runEnd += 1
        }
        // \s*[\r\n]+ : up to and including the run's last newline.
        if lastNewline >= 0 { return lastNewline + 1 }
        // \s+(?!\S) : the whole run at the end of the text, else all but its last scalar.
        if runEnd == count { return runEnd }
        if runEnd - 1 > i { return runEnd - 1 }
        // \s+
        return runEnd
    }

    @inline(__always)
    private func letters(from start: Int, _ classes: UnsafeBufferPointer<UInt8>, _ count: Int) -> Int {
        var j = start
        while j < count, classes[j] == Class.letter { j += 1 }
        return j
    }

    /// ASCII lower case, and ſ (U+017F) as `s`: the simple case folds that reach the contraction letters.
    @inline(__always)
    private static func folded(_ value: UInt32) -> UInt32 {
        if value >= 0x41, value <= 0x5A { return value + 0x20 }
        if value == 0x17F { return 0x73 }
        return value
    }
}
