import Foundation

/// The BPE result of pre-tokenised words, shared by all threads using one `BPETokenizer`
/// (as `tokenizers`' `Cache` in its BPE model). An open-addressing table keyed by the FNV-1a 64 hash
/// of a word's bytes, each hit confirmed against the stored bytes; words and ids live in two flat
/// buffers, so a lookup allocates nothing and retains nothing. Holds at most `capacity` words (10,000,
/// `tokenizers`' `DEFAULT_CACHE_CAPACITY`); when full, new words are no longer added. Words of 256
/// bytes or more are not cached.
final class BPEWordCache: @unchecked Sendable {
    static let defaultCapacity = 10_000
    static let maxWordBytes = 256

    private struct Slot {
        var hash: UInt64 = 0
        var byteStart: Int32 = 0
        /// 0 marks an empty slot (cached words have at least two bytes).
        var byteCount: Int32 = 0
        var idStart: Int32 = 0
        var idCount: Int32 = 0
    }

    private let lock = NSLock()
    private var slots: [Slot]
    private let mask: Int
    private var wordBytes: [UInt8] = []
    private var wordIDs: [Int32] = []
    private var stored = 0
    let capacity: Int

    init(capacity: Int = BPEWordCache.defaultCapacity) {
        self.capacity = capacity
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    /// Appends the cached ids of `word` to `ids`; false if it is not cached.
    @inline(__always)
    func append(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, to ids: inout [Int32]) -> Bool {
        guard word.count >= 2 else { return false }
        lock.lock()
        defer { lock.unlock() }
        guard let slot = find(word, hash: hash) else { return false }
        let found = slots[slot]
        guard found.byteCount != 0 else { return false }
        wordIDs.withUnsafeBufferPointer { all in
            ids.append(contentsOf: UnsafeBufferPointer(rebasing: all[Int(found.idStart)..<Int(found.idStart + found.idCount)]))
        }
        return true
    }

    func insert(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, ids: ArraySlice<Int32>) {
        guard word.count >= 2, word.count < Self.maxWordBytes else { return }
        lock.lock()
        defer { lock.unlock() }
        guard stored < capacity, let slot = find(word, hash: hash), slots[slot].byteCount == 0 else { return }
        slots[slot] = Slot(hash: hash, byteStart: Int32(wordBytes.count), byteCount: Int32(word.count),
                           idStart: Int32(wordIDs.count), idCount: Int32(ids.count))
        wordBytes.append(contentsOf: word)
        wordIDs.append(contentsOf: ids)
        stored += 1
    }

    /// The slot holding `word`, or the empty slot where it would go (nil if the table is full).
    @inline(__always)
    private func find(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            wordBytes.withUnsafeBufferPointer { bytes in
                var index = Int(truncatingIfNeeded: hash) & mask
                for _ in 0...mask {
                    let slot = slots[index]
                    if slot.byteCount == 0 { return index }
                    if slot.hash == hash, Int(slot.byteCount) == word.count,
                       memcmp(bytes.baseAddress! + Int(slot.byteStart), word.baseAddress!, word.count) == 0 {
                        return index
                    }
                    index = (index + 1) & mask
                }
                return nil
            }
        }
    }

    /// Words cached so far.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
