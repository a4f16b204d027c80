import Foundation

/// A Prometheus histogram: cumulative `_bucket{le=...}` counts, `_sum`, `_count`.
/// `upperBounds` are the finite bucket bounds in increasing order; `+Inf` is implicit.
public final class Histogram: @unchecked Sendable {
    public let upperBounds: [Double]
    private let lock = NSLock()
    private var bucketCounts: [UInt64]
    private var total: Double = 0
    private var observations: UInt64 = 0

    public init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    /// Records one observation (seconds, tokens, ...: the family's unit).
    public func observe(_ value: Double) {
        var index = upperBounds.count
        // Buckets are short (≤ 22); a linear scan beats a binary search here.
        for (i, bound) in upperBounds.enumerated() where value <= bound { index = i; break }
        lock.lock()
        bucketCounts[index] += 1
        total += value
        observations += 1
        lock.unlock()
    }

    /// (non-cumulative bucket counts including +Inf, sum, count), read atomically.
    public var snapshot: (buckets: [UInt64], sum: Double, count: UInt64) {
        lock.lock(); defer { lock.unlock() }
        return (bucketCounts, total, observations)
    }

    public var count: UInt64 { snapshot.count }
    public var sum: Double { snapshot.sum }
}
