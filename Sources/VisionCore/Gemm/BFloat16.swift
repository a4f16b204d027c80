import CKernels

/// bfloat16 conversions with torch's rounding (`c10::BFloat16`, round to nearest even; NaN stays NaN).
public enum BFloat16 {
    /// The bfloat16 bits of `value`.
    public static func bits(_ value: Float) -> UInt16 {
        let u = value.bitPattern
        if u & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: u >> 16) | 0x0040 }
        let rounded = u &+ 0x7fff &+ ((u >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// `value` rounded to the nearest bfloat16, as a float.
    public static func round(_ value: Float) -> Float { Float(bitPattern: UInt32(bits(value)) << 16) }

    /// Every element rounded to bfloat16 (kept as float32).
    public static func rounded(_ values: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                vl_round_to_bf16(s, d, src.count)
            }
        }
        return out
    }

    /// `count` floats from `source` converted to bfloat16 bits in `destination` (AVX512-BF16 when present).
    public static func convert(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<UInt16>, count: Int) {
        vl_f32_to_bf16(source, destination, count)
    }
}
