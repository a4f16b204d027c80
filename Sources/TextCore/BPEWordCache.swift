import Foundation

/// The BPE result of pre-tokenised words, shared by all threads using one `BPETokenizer`
/// (as `tokenizers`' `Cache` in its BPE model). Keyed by the FNV-1a 64 hash of the word's bytes, each
/// hit confirmed against the stored bytes. Holds at most `capacity` words (10,000, `tokenizers`'
/// `DEFAULT_CACHE_CAPACITY`); when full, new words are no longer added. Words of 256 bytes or more
/// are not cached.
final class BPEWordCache: @unchecked Sendable {
    static let defaultCapacity = 10_000
    static let maxWordBytes = 256

    private struct Entry {
        var bytes: [UInt8]
        var ids: [Int32]
    }

    private let lock = NSLock()
    private var entries: [UInt64: Entry] = [:]
    let capacity: Int

    init(capacity: Int = BPEWordCache.defaultCapacity) {
        self.capacity = capacity
    }

    /// Appends the cached ids of `word` to `ids`; false if it is not cached.
    @inline(__always)
    func append(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, to ids: inout [Int32]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[hash], entry.bytes.elementsEqual(word) else { return false }
        ids.append(contentsOf: entry.ids)
        return true
    }

    func insert(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, ids: ArraySlice<Int32>) {
        guard word.count < Self.maxWordBytes else { return }
        lock.lock()
        defer { lock.unlock() }
        guard entries.count < capacity, entries[hash] == nil else { return }
        entries[hash] = Entry(bytes: Array(word), ids: Array(ids))
    }

    /// Words cached so far.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
