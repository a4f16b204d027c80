import TextCore

/// A deterministic 64-bit PRNG (xoshiro256** seeded through splitmix64) for the datasets. Not numpy's
/// PCG64: sampled datasets are statistically equivalent to vLLM's and identical across vlbench runs with
/// the same `--seed`. Arrival times use `NumpyLegacyRandom`, which reproduces vLLM's draws exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// The state is the first four outputs of Engine's `SplitMix64(seed:)`.
    public init(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        s = (g.next(), g.next(), g.next(), g.next())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in the closed range `lo...hi` (hi ≥ lo).
    public mutating func int(in lo: Int, _ hi: Int) -> Int {
        lo + Int(UInt64.random(in: 0...UInt64(hi - lo), using: &self))
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
import Darwin
import TextCore
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
