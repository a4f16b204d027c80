import Testing
@testable import VLServeKit

/// `SHA256` against FIPS 180-4's examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf") and Python's
/// `hashlib.sha256` on bytes `(31·i + 7) mod 256` around the padding boundaries, on every block compression
/// this CPU runs (the Swift reference always; SHA-NI where cpuid reports it), and SHA-NI against the reference.
@Suite struct SHA256Tests {
    typealias Implementation = SHA256.Implementation
    static let available = Implementation.allCases.filter(\.isAvailable)

    static func hex(_ digest: [UInt8]) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test(arguments: available) func nistVectors(_ impl: Implementation) {
        #expect(Self.hex(SHA256.hash(Array("".utf8), implementation: impl)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(SHA256.hash(Array("abc".utf8), implementation: impl)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), implementation: impl))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.hex(SHA256.hash(Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                            + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8), implementation: impl))
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(Self.hex(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), implementation: impl))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    static let hashlib: [(Int, String)] = [
        (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
        (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
        (57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"),
        (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
        (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
        (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
        (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
        (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
        (1000, "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"),
    ]

    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) } }

    @Test(arguments: available) func matchesHashlibAroundBlockBoundaries(_ impl: Implementation) {
        for (count, expected) in Self.hashlib {
            #expect(Self.hex(SHA256.hash(Self.pattern(count), implementation: impl)) == expected, "\(count) bytes")
        }
    }

    /// Any split of the message into `update` calls gives the one-shot digest, and a copied hasher is a fork.
    @Test(arguments: available) func incrementalUpdatesAndForks(_ impl: Implementation) {
        let message = Self.pattern(1000)
        for chunk in [1, 3, 63, 64, 65, 200] {
            var hasher = SHA256(implementation: impl)
            var offset = 0
            while offset < message.count {
                hasher.update(message[offset..<min(offset + chunk, message.count)])
                offset += chunk
            }
            #expect(Self.hex(hasher.finalize()) == "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179", "chunk \(chunk)")
        }
        var prefix = SHA256(implementation: impl)
        prefix.update(message[0..<100])
        var fork = prefix
        fork.update(message[100...])
        prefix.update(message[100..<120])
        #expect(Self.hex(fork.finalize()) == "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179")
        #expect(Self.hex(prefix.finalize()) == "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656")
    }

    /// SHA-NI against the Swift reference on 300 seeded messages of 0–4,200 bytes, each fed in seeded pieces
    /// (so blocks arrive whole, split and buffered), and on every length 0–200.
    @Test(.enabled(if: Implementation.shaExtensions.isAvailable, "this CPU has no SHA extensions (cpuid leaf 7 EBX bit 29)"))
    func shaExtensionsMatchTheReference() {
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for length in 0...200 {
            let message = (0..<length).map { _ in UInt8(next(256)) }
            #expect(SHA256.hash(message, implementation: .shaExtensions) == SHA256.hash(message, implementation: .reference),
                    "\(length) bytes")
        }
        for trial in 0..<300 {
            let message = (0..<next(4201)).map { _ in UInt8(next(256)) }
            var fast = SHA256(implementation: .shaExtensions)
            var offset = 0
            while offset < message.count {
                let end = min(message.count, offset + 1 + next(300))
                fast.update(message[offset..<end])
                offset = end
            }
            #expect(fast.finalize() == SHA256.hash(message, implementation: .reference), "trial \(trial), \(message.count) bytes")
        }
    }
}
