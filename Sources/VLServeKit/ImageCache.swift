import Engine
import NetIO
import Observability

/// The multimodal cache of `--mm-processor-cache-gb` (vLLM's flag and default; vLLM caches the processor output
/// under it, this cache holds the encoder output too): a least-recently-used map bounded by bytes.
///
/// Design:
/// - Key (`ImageCacheKey`): SHA-256 of the server's `ImageCacheKey.Scope` (the preprocessing parameters, the
///   encoder's configuration — scope, conv implementation, GEMM backend, dtype, tower operators — and the
///   weights' identity) followed by the image's encoded bytes as received. A cryptographic hash because a
///   collision would serve one user's embeddings for another user's image; the scope because the same bytes
///   give other pixels under other preprocessing and other embeddings under another encoder.
/// - Value (`Entry`): the image's `pixel_values` and grid (t, h, w) once preprocessed; once the engine has
///   computed the encoder's output (the patch embeddings, or the tower's merged tokens with `--vision-encoder
///   full`; `storeOutput`, on the engine thread), the output and the grid replace the pixels, which a hit never
///   reads again (vLLM keeps the two in separate caches). An entry without an output still saves decoding and
///   preprocessing; one with an output saves encoding too.
/// - Bound: `capacityBytes` (GiB × 2³⁰ of `--mm-processor-cache-gb`; 0 disables). An entry counts its Float
///   arrays at 4 bytes a value plus `entryOverheadBytes`; inserting evicts least-recently-used entries until the
///   total fits, and an entry larger than the whole capacity is not kept. Arrays shared with a request in flight
///   are counted in full: they are what the cache keeps alive.
/// - Concurrency: one `Locked` store, taken briefly by the image workers (lookup, insert) and the engine thread
///   (`storeOutput`); no work runs under the lock. Two identical images that miss at the same time are both
///   preprocessed and encoded; the later insert and output replace the earlier ones (same values), which costs
///   work but never correctness.
///
/// Metrics: `vllm:mm_cache_queries` and `vllm:mm_cache_hits` (vLLM V1's counters, per image: a hit is an entry
/// found, with or without its output) and the gauges `vlserve:mm_cache_bytes` and `vlserve:mm_cache_entries`.
public final class ImageCache: Sendable {
    /// One cached image.
    public struct Entry: Sendable {
        /// `[patchCount, row]` pixel values as the engine takes them; empty once the output is stored.
        public var pixelValues: [Float]
        public var gridT: Int
        public var gridH: Int
        public var gridW: Int
        /// The encoder's output for the image, once computed.
        public var encoded: EncodedImage?

        /// Bytes charged against the capacity: the Float arrays plus `ImageCache.entryOverheadBytes`.
        public var bytes: Int {
            (pixelValues.count + (encoded?.values.count ?? 0)) * MemoryLayout<Float>.size + ImageCache.entryOverheadBytes
        }
    }

    /// What the cache did for one request's images, for its log line (`mm_cache=`).
    public enum Outcome: String, Sendable {
        /// Every image's encoder output came from the cache: no decode, preprocess or encode.
        case hit
        /// Some images were found (or found without their encoder output yet): less work, not none.
        case partial
        /// No image was found.
        case miss
        /// The cache is disabled (`--mm-processor-cache-gb 0`).
        case off
    }

    /// Estimated bytes per entry besides its arrays: key, list links, dictionary slot, array headers.
    public static let entryOverheadBytes = 256

    /// The bound in bytes; 0 = disabled.
    public let capacityBytes: Int
    private let store: Locked<Store>

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
        store = Locked(Store())
    }

    /// A cache of `gib` GiB (`--mm-processor-cache-gb`; values ≤ 0 disable it).
    public convenience init(gib: Double) {
        self.init(capacityBytes: gib > 0 ? Int(min(gib * 1_073_741_824, Double(Int.max / 2))) : 0)
    }

    public var isEnabled: Bool { capacityBytes > 0 }

    /// Registers `vllm:mm_cache_queries`, `vllm:mm_cache_hits`, `vlserve:mm_cache_bytes` and
    /// `vlserve:mm_cache_entries` with `labels` (they exist, at 0, when the cache is disabled, as in vLLM).
    public func registerMetrics(in registry: MetricsRegistry, labels: [(String, String)]) {
        _ = registry.counter("vllm:mm_cache_queries", help: "Multi-modal cache queries, in terms of number of queried items.",
                             labels: labels, reader: { [self] in Double(stats.queries) })
        _ = registry.counter("vllm:mm_cache_hits", help: "Multi-modal cache hits, in terms of number of cached items.",
                             labels: labels, reader: { [self] in Double(stats.hits) })
        _ = registry.gauge("vlserve:mm_cache_bytes",
                           help: "Bytes held by the image cache (pixel values and encoder outputs; --mm-processor-cache-gb).",
                           labels: labels, reader: { [self] in Double(stats.bytes) })
        _ = registry.gauge("vlserve:mm_cache_entries", help: "Images held by the image cache.",
                           labels: labels, reader: { [self] in Double(stats.entries) })
    }

    /// Totals since start.
    public struct Stats: Sendable, Equatable {
        public var queries = 0
        public var hits = 0
        public var bytes = 0
        public var entries = 0
        public var evictions = 0
    }

    public var stats: Stats {
        store.withLock { $0.stats }
    }

    /// The entry for `key`, made most recently used; counts a query and, if found, a hit. nil when disabled
    /// (and then nothing is counted).
    public func lookup(_ key: ImageCacheKey) -> Entry? {
        guard isEnabled else { return nil }
        return store.withLock { store in
            store.stats.queries += 1
            guard let slot = store.index[key] else { return nil }
            store.stats.hits += 1
            store.touch(slot)
            return store.slots[slot].entry
        }
    }

    /// The entry for `key` without counting or reordering (tests).
    public func peek(_ key: ImageCacheKey) -> Entry? {
        store.withLock { store in store.index[key].map { store.slots[$0].entry } }
    }

    /// Stores a preprocessed image (no-op when disabled or when it alone exceeds the capacity). An existing entry
    /// with an encoder output for the same grid (a concurrent miss of the same image) is kept as it is, without the
    /// pixels.
    public func insert(_ key: ImageCacheKey, pixelValues: [Float], gridT: Int, gridH: Int, gridW: Int) {
        guard isEnabled else { return }
        store.withLock { store in
            var entry = Entry(pixelValues: pixelValues, gridT: gridT, gridH: gridH, gridW: gridW, encoded: nil)
            if let slot = store.index[key], let old = store.slots[slot].entry.encoded,
               store.slots[slot].entry.gridT == gridT, store.slots[slot].entry.gridH == gridH, store.slots[slot].entry.gridW == gridW {
                entry.pixelValues = []
                entry.encoded = old
            }
            store.put(key, entry, capacity: capacityBytes)
        }
    }

    /// Records the encoder's output for `key` (the engine thread calls it once it has encoded the image): the
    /// entry becomes the output and the grid alone, its pixels released (a hit skips the encoder, so it never
    /// reads them), whether or not the entry was still there.
    public func storeOutput(_ key: ImageCacheKey, _ output: EncodedImage, gridT: Int, gridH: Int, gridW: Int) {
        guard isEnabled else { return }
        store.withLock { store in
            store.put(key, Entry(pixelValues: [], gridT: gridT, gridH: gridH, gridW: gridW, encoded: output),
                      capacity: capacityBytes)
        }
    }

    /// The keys from most to least recently used (tests).
    public var keysByRecency: [ImageCacheKey] {
        store.withLock { store in
            var keys: [ImageCacheKey] = []
            var slot = store.head
            while slot >= 0 {
                keys.append(store.slots[slot].key)
                slot = store.slots[slot].next
            }
            return keys
        }
    }
}

extension ImageCache {
    /// A doubly linked recency list over an array of slots (freed slots are reused), indexed by key.
    fileprivate struct Store {
        struct Slot {
            var key: ImageCacheKey
            var entry: Entry
            var bytes: Int
            var previous: Int
            var next: Int
        }

        var index: [ImageCacheKey: Int] = [:]
        var slots: [Slot] = []
        var freeSlots: [Int] = []
        /// Most recently used slot, or -1.
        var head = -1
        /// Least recently used slot, or -1.
        var tail = -1
        var stats = Stats()

        /// Inserts or replaces `key`'s entry as the most recent one, then evicts from the tail until it fits.
        mutating func put(_ key: ImageCacheKey, _ entry: Entry, capacity: Int) {
            if let slot = index[key] { remove(slot) }
            let bytes = entry.bytes
            guard bytes <= capacity else { return }
            while stats.bytes + bytes > capacity, tail >= 0 {
                remove(tail)
                stats.evictions += 1
            }
            let slot: Int
            let fresh = Slot(key: key, entry: entry, bytes: bytes, previous: -1, next: head)
            if let reused = freeSlots.popLast() {
                slot = reused
                slots[slot] = fresh
            } else {
                slot = slots.count
                slots.append(fresh)
            }
            if head >= 0 { slots[head].previous = slot }
            head = slot
            if tail < 0 { tail = slot }
            index[key] = slot
            stats.bytes += bytes
            stats.entries += 1
        }

        /// Moves `slot` to the head.
        mutating func touch(_ slot: Int) {
            guard slot != head else { return }
            unlink(slot)
            slots[slot].previous = -1
            slots[slot].next = head
            if head >= 0 { slots[head].previous = slot }
            head = slot
            if tail < 0 { tail = slot }
        }

        /// Unlinks `slot`, frees its arrays and returns it to the free list.
        mutating func remove(_ slot: Int) {
            unlink(slot)
            index[slots[slot].key] = nil
            stats.bytes -= slots[slot].bytes
            stats.entries -= 1
            slots[slot].entry = Entry(pixelValues: [], gridT: 0, gridH: 0, gridW: 0, encoded: nil)
            freeSlots.append(slot)
        }

        private mutating func unlink(_ slot: Int) {
            let previous = slots[slot].previous, next = slots[slot].next
            if previous >= 0 { slots[previous].next = next } else { head = next }
            if next >= 0 { slots[next].previous = previous } else { tail = previous }
        }
    }
}
