import CKernels

/// SHA-256 (FIPS 180-4), incremental: Foundation on Linux has no cryptographic hash, and the image cache needs
/// one (a collision would hand one request's image embeddings to another). A value type: copying a hasher forks
/// its state, so a fixed prefix is absorbed once and reused (`ImageCacheKey.Scope`).
///
/// The block compression runs on the CPU's SHA extensions when it has them (`vl_sha256_blocks_shani`,
/// `Implementation.shaExtensions`), else in Swift (`.reference`, the naive path both are tested against).
public struct SHA256: Sendable {
    /// Which block compression a hasher runs.
    public enum Implementation: String, Sendable, CaseIterable {
        /// FIPS 180-4 §6.2.2 in Swift, one block at a time (about 185 MB/s on a 2024 Xeon core).
        case reference
        /// x86 SHA-NI (`sha256rnds2`, `sha256msg1/2`) in `CKernels/vl_sha256.c`, all full blocks in one call.
        case shaExtensions = "sha-ni"

        /// The fastest this CPU runs: `.shaExtensions` when cpuid reports SHA, SSSE3 and SSE4.1.
        public static let best: Implementation = vl_sha256_has_shani() != 0 ? .shaExtensions : .reference

        /// Whether this CPU can run it.
        public var isAvailable: Bool { self == .reference || Self.best == .shaExtensions }
    }

    /// The block compression this hasher runs.
    public let implementation: Implementation
    /// H(0), the initial hash value (FIPS 180-4 §5.3.3).
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
    /// The unprocessed tail of the message (< 64 bytes).
    private var buffer: [UInt8] = []
    /// Message bytes absorbed so far.
    private var length: UInt64 = 0

    /// A hasher on `implementation` (default: the fastest this CPU has; an unavailable one falls back to
    /// `.reference`).
    public init(implementation: Implementation = .best) {
        self.implementation = implementation.isAvailable ? implementation : .reference
        buffer.reserveCapacity(64)
    }

    /// The 32-byte digest of `bytes`.
    public static func hash<C: Collection>(_ bytes: C, implementation: Implementation = .best) -> [UInt8]
        where C.Element == UInt8 {
        var hasher = SHA256(implementation: implementation)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Absorbs `bytes`.
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { update(Array(bytes)) }
    }

    /// Absorbs the bytes at `raw`.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        length &+= UInt64(raw.count)
        var offset = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, raw.count)
            buffer.append(contentsOf: raw[0..<take])
            offset = take
            if buffer.count == 64 {
                let block = buffer  // not `buffer.withUnsafeBytes`: `compressBlocks` mutates `self`
                block.withUnsafeBytes { compressBlocks($0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let whole = (raw.count - offset) / 64 * 64
        if whole > 0 {
            compressBlocks(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + whole]))
            offset += whole
        }
        if offset < raw.count { buffer.append(contentsOf: raw[offset...]) }
    }

    /// Pads, processes the last block(s) and returns the 32-byte digest (big-endian words).
    public func finalize() -> [UInt8] {
        var copy = self
        let bits = length &* 8
        var tail = copy.buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        tail.withUnsafeBytes { copy.compressBlocks($0) }
        let s = copy.state
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in [s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7] {
            digest += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                       UInt8(truncatingIfNeeded: word)]
        }
        return digest
    }

    /// The round constants K (FIPS 180-4 §4.2.2).
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// Compresses `blocks` (a whole number of 64-byte blocks) into the state with `implementation`.
    private mutating func compressBlocks(_ blocks: UnsafeRawBufferPointer) {
        guard !blocks.isEmpty else { return }
        switch implementation {
        case .shaExtensions:
            let base = blocks.baseAddress!.assumingMemoryBound(to: UInt8.self)
            withUnsafeMutablePointer(to: &state) { tuple in
                tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { vl_sha256_blocks_shani($0, base, blocks.count / 64) }
            }
        case .reference:
            var offset = 0
            while offset < blocks.count {
                compressReference(UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]))
                offset += 64
            }
        }
    }

    /// One 64-byte block (FIPS 180-4 §6.2.2): the reference the SHA-NI kernel is tested against.
    private mutating func compressReference(_ block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
            }
            for t in 16..<64 {
                let s0 = Self.rotr(w[t - 15], 7) ^ Self.rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = Self.rotr(w[t - 2], 17) ^ Self.rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            Self.k.withUnsafeBufferPointer { k in
                for t in 0..<64 {
                    let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                     state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
        }
    }
}
