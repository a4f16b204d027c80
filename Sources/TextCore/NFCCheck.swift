/// A conservative quick check for NFC: text in which no scalar is flagged here, and none is a combining
/// mark (general category M*, which covers every scalar of non-zero canonical combining class), is
/// unchanged by NFC, so `BPETokenizer` skips Foundation's normaliser for it (ASCII, Latin-1, CJK, kana,
/// Hangul syllables, emoji, ... all pass). Flagged are whole blocks that hold NFC_QC=No or Maybe scalars
/// of combining class 0: Greek singletons, the Indic, Tibetan, Myanmar and Balinese blocks (nukta
/// compositions, composition exclusions), Hangul Jamo (they compose into syllables), Greek Extended,
/// the singletons U+2000, U+2001, U+2126, U+212A, U+212B, U+2329, U+232A, U+2ADC, kana voicing marks, the
/// CJK compatibility ideographs, Hebrew presentation forms and musical symbols. Flagged text is normalised.
enum NFCCheck {
    @inline(__always)
    static func mayChange(_ value: UInt32) -> Bool {
        switch value {
        case 0..<0x300: false
        case 0x300...0x36F, 0x374, 0x37E, 0x387: true
        case 0x900...0xDFF, 0xF00...0xFFF, 0x1000...0x11FF, 0x1B00...0x1B7F, 0x1F00...0x1FFF: true
        case 0x2000...0x2001, 0x2126, 0x212A...0x212B, 0x2329...0x232A, 0x2ADC, 0x3099...0x309A: true
        case 0xF900...0xFAFF, 0xFB1D...0xFB4F, 0x1D100...0x1D1FF, 0x2F800...0x2FA1F: true
        default: false
        }
    }
}
