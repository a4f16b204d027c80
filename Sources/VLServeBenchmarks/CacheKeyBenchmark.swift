import VLServeKit

/// Times the image cache's key for one encoded image: SHA-256 over its bytes (`ImageCacheKey` hashes a
/// precomputed scope prefix, then the bytes as received), once per `SHA256.Implementation` this CPU runs. The
/// server pays it on the image worker for every image while the cache is on, hit or miss.
public enum CacheKeyBenchmark {
    /// The median time of one hash of `bytes` in milliseconds, per available implementation (the reference
    /// first), after one untimed warm-up each.
    public static func run(bytes: [UInt8], iterations: Int) -> [CacheKeyTiming] {
        SHA256.Implementation.allCases.filter(\.isAvailable).map { implementation in
            _ = SHA256.hash(bytes, implementation: implementation)
            var samples: [Double] = []
            for _ in 0..<max(iterations, 1) {
                let start = ContinuousClock.now
                let digest = SHA256.hash(bytes, implementation: implementation)
                samples.append(BenchmarkStatistics.seconds(since: start) * 1000)
                precondition(digest.count == 32)
            }
            return CacheKeyTiming(implementation: implementation.rawValue, milliseconds: BenchmarkStatistics.median(samples),
                                  bytes: bytes.count)
        }
    }
}

/// One row of `CacheKeyBenchmark.run`.
public struct CacheKeyTiming: Sendable, Equatable {
    /// `SHA256.Implementation.rawValue`: "reference" or "sha-ni".
    public var implementation: String
    /// Median milliseconds per hash.
    public var milliseconds: Double
    /// Bytes hashed.
    public var bytes: Int

    public init(implementation: String, milliseconds: Double, bytes: Int) {
        self.implementation = implementation
        self.milliseconds = milliseconds
        self.bytes = bytes
    }

    /// Megabytes (10⁶ bytes) per second.
    public var megabytesPerSecond: Double { milliseconds > 0 ? Double(bytes) / milliseconds / 1000 : 0 }
}
