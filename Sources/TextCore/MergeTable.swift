/// BPE merges as an immutable open-addressing hash table: the pair `(left, right)` of token ids, packed
/// as `left << 32 | right`, to `rank << 32 | merged id`. Lookups hash with one multiplication (Fibonacci
/// hashing) instead of `Hasher`, and probe linearly in a table at most half full.
struct MergeTable: Sendable {
    /// Returned for a pair that does not merge; larger than any packed value.
    static let none = UInt64.max

    private let keys: [UInt64]
    private let values: [UInt64]
    private let shift: UInt64
    private let mask: Int

    /// `entries` in priority order; a pair listed twice keeps its first (lowest) rank.
    init(_ entries: [(left: Int32, right: Int32, merged: Int32)]) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(1, entries.count) { bits += 1 }
        let size = 1 << Int(bits)
        var keys = [UInt64](repeating: Self.none, count: size)
        var values = [UInt64](repeating: Self.none, count: size)
        shift = 64 - bits
        mask = size - 1
        for (rank, entry) in entries.enumerated() {
            let key = Self.key(entry.left, entry.right)
            var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[index] != Self.none, keys[index] != key { index = (index + 1) & mask }
            if keys[index] == key { continue }
            keys[index] = key
            values[index] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: entry.merged))
        }
        self.keys = keys
        self.values = values
    }

    @inline(__always)
    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// `rank << 32 | merged id` of the pair, or `MergeTable.none`.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = Self.key(left, right)
        var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.none { return Self.none }
            index = (index + 1) & mask
        }
    }
}
