import Engine
import Observability
import Testing
import VisionCore
@testable import VLServeKit

@Suite struct ImageCacheTests {
    static let scope = ImageCacheKey.Scope(identity: "test")

    static func key(_ n: Int) -> ImageCacheKey { scope.key([UInt8(n)]) }

    /// An entry of `floats` pixel values: `floats × 4 + overhead` bytes.
    static func insert(_ cache: ImageCache, _ n: Int, floats: Int) {
        cache.insert(key(n), pixelValues: [Float](repeating: Float(n), count: floats), gridT: 1, gridH: 2, gridW: 2)
    }

    static let overhead = ImageCache.entryOverheadBytes

    @Test func evictsLeastRecentlyUsedByBytes() {
        // Room for three entries of 100 floats, not four.
        let cache = ImageCache(capacityBytes: 3 * (400 + Self.overhead) + 10)
        for n in 1...3 { Self.insert(cache, n, floats: 100) }
        #expect(cache.stats.entries == 3 && cache.stats.bytes == 3 * (400 + Self.overhead))
        #expect(cache.keysByRecency == [Self.key(3), Self.key(2), Self.key(1)])
        // A lookup makes 1 the most recent, so inserting 4 evicts 2, the least recent.
        #expect(cache.lookup(Self.key(1))?.pixelValues.first == 1)
        Self.insert(cache, 4, floats: 100)
        #expect(cache.keysByRecency == [Self.key(4), Self.key(1), Self.key(3)])
        #expect(cache.peek(Self.key(2)) == nil)
        // A bigger entry evicts as many as it needs, from the least recent.
        Self.insert(cache, 5, floats: 250)
        #expect(cache.keysByRecency == [Self.key(5), Self.key(4)])
        #expect(cache.stats.bytes == 1400 + 2 * Self.overhead && cache.stats.evictions == 3)
        // An entry larger than the whole cache is not kept and evicts nothing.
        Self.insert(cache, 6, floats: 1000)
        #expect(cache.peek(Self.key(6)) == nil && cache.stats.entries == 2)
        #expect(cache.stats.queries == 1 && cache.stats.hits == 1)
    }

    /// The encoder output replaces the pixels (its bytes counted, theirs released), a concurrent miss's pixels do
    /// not come back beside it, and an output for an evicted entry comes back alone.
    @Test func storesEncoderOutputsInPlaceOfThePixels() {
        let cache = ImageCache(capacityBytes: 10_000)
        Self.insert(cache, 1, floats: 100)
        #expect(cache.stats.bytes == 400 + Self.overhead)
        cache.storeOutput(Self.key(1), EncodedImage(rows: 4, width: 10, values: [Float](repeating: 2, count: 40)),
                          gridT: 1, gridH: 2, gridW: 2)
        let entry = cache.lookup(Self.key(1))
        #expect(entry?.pixelValues.isEmpty == true && entry?.encoded?.values.count == 40)
        #expect(entry?.gridT == 1 && entry?.gridH == 2 && entry?.gridW == 2)
        #expect(cache.stats.bytes == 160 + Self.overhead)
        // Re-inserting the pixels (a concurrent miss of the same image) keeps the output, without the pixels.
        Self.insert(cache, 1, floats: 100)
        #expect(cache.peek(Self.key(1))?.encoded?.rows == 4 && cache.peek(Self.key(1))?.pixelValues.isEmpty == true)
        #expect(cache.stats.bytes == 160 + Self.overhead)
        cache.storeOutput(Self.key(2), EncodedImage(rows: 4, width: 10, values: [Float](repeating: 3, count: 40)),
                          gridT: 1, gridH: 2, gridW: 2)
        #expect(cache.peek(Self.key(2))?.pixelValues.isEmpty == true && cache.peek(Self.key(2))?.encoded?.values.first == 3)
        #expect(cache.stats.entries == 2 && cache.stats.bytes == 160 + 160 + 2 * Self.overhead)
    }

    @Test func disabledCacheHoldsAndCountsNothing() {
        let cache = ImageCache(gib: 0)
        #expect(!cache.isEnabled)
        Self.insert(cache, 1, floats: 10)
        #expect(cache.lookup(Self.key(1)) == nil)
        #expect(cache.stats == ImageCache.Stats())
        #expect(ImageCache(gib: 4).capacityBytes == 4 << 30)
    }

    @Test func metricsUseVLLMNames() {
        let registry = MetricsRegistry()
        let cache = ImageCache(capacityBytes: 10_000)
        cache.registerMetrics(in: registry, labels: [("model_name", "m"), ("engine", "0")])
        Self.insert(cache, 1, floats: 10)
        _ = cache.lookup(Self.key(1))
        _ = cache.lookup(Self.key(2))
        let text = registry.render()
        #expect(text.contains("vllm:mm_cache_queries_total{model_name=\"m\",engine=\"0\"} 2.0"))
        #expect(text.contains("vllm:mm_cache_hits_total{model_name=\"m\",engine=\"0\"} 1.0"))
        #expect(text.contains("vlserve:mm_cache_bytes{model_name=\"m\",engine=\"0\"} \(40 + Self.overhead).0"))
        #expect(text.contains("vlserve:mm_cache_entries{model_name=\"m\",engine=\"0\"} 1.0"))
    }

    /// The same bytes give the same key in the same scope; another byte, or any preprocessing or encoder
    /// parameter, gives another key.
    @Test func keyCoversBytesPreprocessingAndEncoder() {
        let bytes: [UInt8] = Array("an encoded image".utf8)
        let labels = [("encoder", "patch-embed"), ("conv_impl", "gemm"), ("gemm_backend", "openblas"), ("dtype", "float32")]
        func key(_ config: PreprocessorConfig = .qwen25VLDefault, frames: Int? = nil, labels: [(String, String)] = labels,
                 weights: String = "seeded(0)", bytes: [UInt8] = bytes) -> ImageCacheKey {
            ImageCacheKey.Scope(preprocessor: ImagePreprocessor(config: config, framesPerPatch: frames), encoderLabels: labels,
                                weights: weights).key(bytes)
        }
        let base = key()
        #expect(key() == base)
        var variants: [ImageCacheKey] = [key(bytes: bytes + [0]), key(frames: 1), key(weights: "seeded(1)")]
        func config(_ change: (inout PreprocessorConfig) -> Void) -> PreprocessorConfig {
            var c = PreprocessorConfig.qwen25VLDefault
            change(&c)
            return c
        }
        variants += [
            key(config { $0.minPixels = 4096 }), key(config { $0.maxPixels = 1_003_520 }), key(config { $0.patchSize = 16 }),
            key(config { $0.temporalPatchSize = 1 }), key(config { $0.mergeSize = 1 }), key(config { $0.rescaleFactor = 1 }),
            key(config { $0.imageMeanDouble[0] = 0.5 }), key(config { $0.imageStdDouble[2] = 0.5 }),
        ]
        for index in labels.indices {
            var changed = labels
            changed[index].1 += "x"
            variants.append(key(labels: changed))
        }
        variants.append(key(labels: labels + [("attention", "sdpa")]))
        variants.append(key(labels: []))
        #expect(Set(variants + [base]).count == variants.count + 1)
        #expect(base.description.count == 64)
    }
}
