import Testing
@testable import VisionCore

@Suite struct BFloat16Tests {
    @Test func roundsToNearestEvenLikeTorch() {
        #expect(BFloat16.bits(1.0) == 0x3F80)
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to the even mantissa (1.0).
        #expect(BFloat16.round(1 + 0x1p-8) == 1.0)
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties to even (1 + 2^-6).
        #expect(BFloat16.round(1 + 3 * 0x1p-8) == 1 + 0x1p-6)
        #expect(BFloat16.round(1 + 0x1p-8 + 0x1p-20) == 1 + 0x1p-7)
        #expect(BFloat16.round(-2.5) == -2.5)
        #expect(BFloat16.round(.infinity) == .infinity)
        #expect(BFloat16.round(.nan).isNaN)
        #expect(BFloat16.round(Float.greatestFiniteMagnitude) == .infinity)
    }

    @Test func bulkConversionAgreesWithTheScalarOne() {
        // Long enough for the AVX512-BF16 path (32 at a time) and a scalar tail.
        let values = testValues(1000, seed: 3).map { $0 * 1000 } + [0, -0.0, 1 + 0x1p-8, .infinity, -.infinity]
        var bits = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            bits.withUnsafeMutableBufferPointer { dst in BFloat16.convert(src.baseAddress!, to: dst.baseAddress!, count: src.count) }
        }
        #expect(bits == values.map(BFloat16.bits))
        #expect(BFloat16.rounded(values) == values.map(BFloat16.round))
    }
}
