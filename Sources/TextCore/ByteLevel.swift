/// GPT-2's byte-to-unicode table, as the `tokenizers` ByteLevel pre-tokenizer and decoder use it
/// (`bytes_char` in tokenizers/src/pre_tokenizers/byte_level.rs): the printable bytes `!`...`~`,
/// `¡`...`¬` and `®`...`ÿ` stand for themselves; the other 68 bytes map, in order, to U+0100... .
/// Vocabulary entries of a byte-level BPE are written in these characters (a space is `Ġ`, U+0120).
enum ByteLevel {
    /// The character standing for each byte.
    static let characterOfByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each character stands for, indexed by the character's scalar value (< 324); 0xFFFF if none.
    static let byteOfCharacter: [UInt16] = {
        var table = [UInt16](repeating: 0xFFFF, count: 324)
        for (byte, character) in characterOfByte.enumerated() { table[Int(character.value)] = UInt16(byte) }
        return table
    }()

    /// The raw bytes a vocabulary entry stands for; nil if it has a character outside the table.
    static func bytes(of token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard scalar.value < 324 else { return nil }
            let byte = byteOfCharacter[Int(scalar.value)]
            guard byte != 0xFFFF else { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }

    /// The vocabulary spelling of raw bytes (`convert_ids_to_tokens`' form: `Ġhello`).
    static func token(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characterOfByte[Int(byte)]) }
        return String(text)
    }
}
