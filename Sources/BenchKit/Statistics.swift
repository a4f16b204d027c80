/// numpy-compatible summary statistics (`np.mean`, `np.median`, `np.std` with ddof 0,
/// `np.percentile` with the default "linear" method). Empty input yields 0 for every statistic,
/// as `vllm bench serve` does (`np.mean(x or 0)`).
public enum Statistics {
    /// Arithmetic mean; 0 for an empty list.
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? 0 : pairwiseSum(x[...]) / Double(x.count)
    }

    /// Population standard deviation (ddof 0); 0 for an empty list.
    public static func std(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let m = mean(x)
        let sq = x.map { ($0 - m) * ($0 - m) }
        return (pairwiseSum(sq[...]) / Double(x.count)).squareRoot()
    }

    /// Median = 50th percentile with linear interpolation; 0 for an empty list.
    public static func median(_ x: [Double]) -> Double { percentile(x, 50) }

    /// `np.percentile(x, p)` with method "linear": rank = p/100·(n−1), interpolated between the
    /// neighbours using numpy's `_lerp` (which computes from the upper end when the fraction ≥ 0.5).
    public static func percentile(_ x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        return percentile(sorted: x.sorted(), p)
    }

    /// Same as `percentile(_:_:)` for an already ascending list.
    public static func percentile(sorted s: [Double], _ p: Double) -> Double {
        guard !s.isEmpty else { return 0 }
        let rank = p / 100 * Double(s.count - 1)
        let lo = Int(rank.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        let t = rank - Double(lo)
        let a = s[max(0, min(lo, s.count - 1))], b = s[hi]
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// numpy's pairwise summation (blocks of 8 unrolled, 128-element leaves) for parity with `np.mean`.
    static func pairwiseSum(_ x: ArraySlice<Double>) -> Double {
        let n = x.count
        if n < 8 {
            var r = 0.0
            for v in x { r += v }
            return r
        }
        if n <= 128 {
            let b = x.startIndex
            var r = [x[b], x[b + 1], x[b + 2], x[b + 3], x[b + 4], x[b + 5], x[b + 6], x[b + 7]]
            var i = 8
            while i < n - (n % 8) {
                for k in 0..<8 { r[k] += x[b + i + k] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += x[b + i]; i += 1 }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        let mid = x.startIndex + n2
        return pairwiseSum(x[x.startIndex..<mid]) + pairwiseSum(x[mid...])
    }
}
