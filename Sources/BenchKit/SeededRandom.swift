import Engine

/// A deterministic 64-bit PRNG (xoshiro256** seeded through splitmix64) with the distributions
/// the benchmark needs. Not numpy's MT19937: schedules and datasets are statistically equivalent to
/// vLLM's, and identical across vlbench runs with the same `--seed`.
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

    /// Standard normal (Marsaglia polar method).
    public mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let q = u * u + v * v
            if q > 0 && q < 1 { return u * (-2 * _log(q) / q).squareRoot() }
        }
    }

    /// Gamma(shape k, scale θ) by Marsaglia–Tsang; for k < 1 uses Gamma(k+1)·U^(1/k).
    /// Mean kθ, variance kθ².
    public mutating func gamma(shape k: Double, scale theta: Double) -> Double {
        precondition(k > 0 && theta > 0)
        if k < 1 {
            var u = uniform()
            while u == 0 { u = uniform() }
            return gamma(shape: k + 1, scale: theta) * _pow(u, 1 / k)
        }
        let d = k - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v * theta }
            if u > 0, _log(u) < 0.5 * x * x + d * (1 - v + _log(v)) { return d * v * theta }
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
