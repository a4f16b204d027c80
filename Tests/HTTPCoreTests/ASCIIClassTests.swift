import Testing
@testable import HTTPCore

@Suite struct ASCIIClassTests {
    /// The bit masks against RFC 9110 §5.6.2's tchar, spelled out, for every byte.
    @Test func tcharMasksMatchTheGrammar() {
        let punctuation = Set("!#$%&'*+-.^_`|~".utf8)
        for b in 0...255 {
            let byte = UInt8(b)
            let isAlpha = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            let isDigit = (0x30...0x39).contains(byte)
            #expect(ASCII.isTchar(byte) == (isAlpha || isDigit || punctuation.contains(byte)), "byte \(b)")
        }
    }
}
