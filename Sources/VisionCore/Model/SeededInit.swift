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
