/// The deterministic initialisation VLServe uses when no checkpoint is given, reproducible in a few lines of
/// Python (scripts/fixtures/make_conv_fixtures.py has the reference):
///
/// - Generator: SplitMix64 (`state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
///   z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)`, all mod 2⁶⁴).
/// - Stream per tensor: initial state = `seed ^ fnv1a64(tensor name)` (FNV-1a 64 over the UTF-8 bytes,
///   offset basis 0xCBF29CE484222325, prime 0x100000001B3).
/// - Value i (row-major) = `(Float(next() >> 40) * 2⁻²⁴ * 2 − 1) * bound`, computed in Float32, i.e. uniform in
///   [−bound, bound) on a 2⁻²³ grid; `bound = Float(1 / sqrt(fan_in))` (torch's default Conv/Linear bound).
public struct SeededInit: Sendable {
    public let seed: UInt64

    public init(seed: UInt64 = 0) {
        self.seed = seed
    }

    /// FNV-1a 64-bit hash of the UTF-8 bytes of `name`.
    public static func fnv1a64(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// `count` values uniform in [−bound, bound) for the tensor `name` (see the type's note).
    public func uniform(_ name: String, count: Int, bound: Float) -> [Float] {
        var state = seed ^ Self.fnv1a64(name)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                state = state &+ 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                let unit = Float(z >> 40) * 0x1p-24
                buffer[i] = (unit * 2 - 1) * bound
            }
            initialized = count
        }
    }

    /// `uniform(name, count:, bound: 1/sqrt(fanIn))`.
    public func kaimingUniform(_ name: String, count: Int, fanIn: Int) -> [Float] {
        uniform(name, count: count, bound: Float(1.0 / Double(fanIn).squareRoot()))
    }
}

extension SeededInit {
    /// Bound of the seeded vision-tower biases: uniform in ±0.05.
    public static let towerBiasBound: Float = 0.05
    /// Spread of the seeded RMSNorm weights: 1 + uniform in ±0.2.
    public static let towerNormSpread: Float = 0.2

    /// A vision-tower parameter of the documented seeded initialisation, mirrored by
    /// `scripts/fixtures/seeded_init.py` (`seeded_tower_parameter`), so that transformers and VLServe load the
    /// same weights:
    /// - a name ending in `.bias`: `uniform(name, bound: 0.05)`;
    /// - another rank-1 tensor (the RMSNorm weights `norm1`, `norm2`, `merger.ln_q`): `1 + uniform(name, bound: 0.2)`
    ///   (the sum in Float32);
    /// - every other tensor (`[out, in...]` Linear and Conv3d weights): `kaimingUniform(name, fanIn: Π shape[1...])`;
    /// then every value rounded to bfloat16 once (round to nearest even), like a released BF16 checkpoint.
    public func towerParameter(_ name: String, shape: [Int]) -> [Float] {
        let count = shape.reduce(1, *)
        var values: [Float]
        if name.hasSuffix(".bias") {
            values = uniform(name, count: count, bound: Self.towerBiasBound)
        } else if shape.count == 1 {
            values = uniform(name, count: count, bound: Self.towerNormSpread)
            for i in values.indices { values[i] = 1 + values[i] }
        } else {
            values = kaimingUniform(name, count: count, fanIn: shape.dropFirst().reduce(1, *))
        }
        return BFloat16.rounded(values)
    }
}
