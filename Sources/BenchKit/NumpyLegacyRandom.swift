#if canImport(Glibc)
import Glibc
#endif

/// numpy's legacy global generator (`np.random.seed(s)` then `np.random.gamma(...)`): MT19937 with
/// numpy's integer seeding and the legacy samplers of `numpy/random/src/legacy/legacy-distributions.c`,
/// so that `vlbench` draws the same arrival gaps as `vllm bench serve` for the same `--seed`.
///
/// `vllm bench serve` seeds numpy's global generator with `--seed` and, for the random, random-mm,
/// sharegpt and custom datasets, first uses it in `get_request` (the datasets use a private
/// `default_rng` or Python's `random`). Floating-point steps use the same libm calls (`log`, `pow`,
/// `sqrt`) in the same order as the C code, so on the same glibc the draws are bit-identical.
public struct NumpyLegacyRandom: Sendable {
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624
    /// The second value of the last polar-method pair (`aug_state->gauss`), used by the next `gauss()`.
    private var cachedGauss: Double?

    /// `np.random.seed(seed)` for an integer seed (numpy accepts 0 ... 2^32 − 1): `mt19937_seed`.
    public init(seed: UInt32) {
        var s = seed
        for i in 0..<624 {
            key[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
    }

    /// `mt19937_next`: the next tempered 32-bit output.
    public mutating func nextUInt32() -> UInt32 {
        if position == 624 { regenerate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `mt19937_next_double`: 53 random bits in [0, 1).
    public mutating func double() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `legacy_standard_exponential`: −log(1 − U).
    public mutating func standardExponential() -> Double { -log(1.0 - double()) }

    /// `legacy_gauss`: Marsaglia's polar method, caching the second value of each pair.
    public mutating func gauss() -> Double {
        if let cached = cachedGauss {
            cachedGauss = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * double() - 1.0
            x2 = 2.0 * double() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = sqrt(-2.0 * log(r2) / r2)
        cachedGauss = f * x1
        return f * x2
    }

    /// `legacy_standard_gamma(shape)`: exponential for 1, Johnk-style rejection below 1,
    /// Marsaglia–Tsang above.
    public mutating func standardGamma(_ shape: Double) -> Double {
        if shape == 1.0 { return standardExponential() }
        if shape == 0.0 { return 0.0 }
        if shape < 1.0 {
            while true {
                let u = double()
                let v = standardExponential()
                if u <= 1.0 - shape {
                    let x = pow(u, 1.0 / shape)
                    if x <= v { return x }
                } else {
                    let y = -log((1 - u) / shape)
                    let x = pow(1.0 - shape + shape * y, 1.0 / shape)
                    if x <= v + y { return x }
                }
            }
        }
        let b = shape - 1.0 / 3.0
        let c = 1.0 / sqrt(9 * b)
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = gauss()
                v = 1.0 + c * x
            } while v <= 0.0
            v = v * v * v
            let u = double()
            if u < 1.0 - 0.0331 * (x * x) * (x * x) { return b * v }
            if log(u) < 0.5 * x * x + b * (1.0 - v + log(v)) { return b * v }
        }
    }

    /// `np.random.gamma(shape, scale)` (`legacy_gamma`): scale × standardGamma(shape).
    public mutating func gamma(shape: Double, scale: Double) -> Double { scale * standardGamma(shape) }

    /// `mt19937_gen`: the next block of 624 untempered words.
    private mutating func regenerate() {
        let n = 624, m = 397
        func twist(_ upper: UInt32, _ lower: UInt32, _ far: UInt32) -> UInt32 {
            let y = (upper & 0x8000_0000) | (lower & 0x7FFF_FFFF)
            return far ^ (y >> 1) ^ ((y & 1) == 1 ? 0x9908_B0DF : 0)
        }
        for i in 0..<(n - m) { key[i] = twist(key[i], key[i + 1], key[i + m]) }
        for i in (n - m)..<(n - 1) { key[i] = twist(key[i], key[i + 1], key[i + m - n]) }
        key[n - 1] = twist(key[n - 1], key[0], key[m - 1])
        position = 0
    }
}
