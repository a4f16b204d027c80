import Testing
@testable import VisionCore

/// Deterministic test values in [-1, 1).
func testValues(_ count: Int, seed: UInt64) -> [Float] {
    var random = TestRandom(seed)
    return random.array(count)
}

let nativeBF16 = CPUFeatures.current.nativeBF16
let bf16SkipReason: Comment = "this CPU has no native bfloat16 (avx512_bf16 or amx_bf16): bf16 GEMMs are not offered here"

@Suite struct LinearTests {
    /// Awkward shapes: one row, rows and columns that are no multiple of any tile, K odd.
    static let shapes: [(m: Int, n: Int, k: Int, bias: Bool)] = [
        (1, 1, 1, false), (1, 17, 5, true), (7, 3, 33, true), (65, 80, 129, false), (130, 96, 1176, true),
    ]

    func check(_ configuration: GemmConfiguration, tolerance: Double) throws {
        for (i, shape) in Self.shapes.enumerated() {
            let a = testValues(shape.m * shape.k, seed: UInt64(10 + i))
            let w = testValues(shape.n * shape.k, seed: UInt64(100 + i))
            let bias = shape.bias ? testValues(shape.n, seed: UInt64(1000 + i)) : nil
            let linear = try Linear(weight: w, bias: bias, outFeatures: shape.n, inFeatures: shape.k,
                                    configuration: configuration)
            let fast = try linear.forward(a, rows: shape.m)
            let reference = ReferenceGemm.forward(a, rows: shape.m, weight: w, outFeatures: shape.n,
                                                  inFeatures: shape.k, bias: bias, dtype: configuration.dtype)
            let error = relativeError(fast, reference)
            #expect(error <= tolerance, "\(configuration) m \(shape.m) n \(shape.n) k \(shape.k): \(error)")
        }
    }

    @Test func openblasFloat32MatchesTheReference() throws {
        try check(.openblasFloat32, tolerance: 1e-5)
    }

    @Test func onednnFloat32MatchesTheReference() throws {
        try check(GemmConfiguration(backend: .onednn, dtype: .float32), tolerance: 1e-5)
    }

    /// Against the reference on the same bf16-rounded inputs: only float32 accumulation order differs.
    @Test(.enabled(if: nativeBF16, bf16SkipReason)) func onednnBFloat16MatchesTheRoundedReference() throws {
        try check(GemmConfiguration(backend: .onednn, dtype: .bfloat16), tolerance: 1e-5)
    }

    @Test func manyRowCountsReuseAndEvictCachedPrimitives() throws {
        let (n, k) = (8, 12)
        let w = testValues(n * k, seed: 7)
        let linear = try Linear(weight: w, bias: nil, outFeatures: n, inFeatures: k,
                                configuration: GemmConfiguration(backend: .onednn, dtype: .float32))
        // More distinct row counts than the cache holds, then the first ones again.
        for rows in Array(1...40) + [1, 2, 3] {
            let a = testValues(rows * k, seed: UInt64(rows))
            let reference = ReferenceGemm.forward(a, rows: rows, weight: w, outFeatures: n, inFeatures: k, bias: nil)
            #expect(relativeError(try linear.forward(a, rows: rows), reference) <= 1e-5, "rows \(rows)")
        }
        #expect(linear.kernelName(rows: 40).hasPrefix("onednn "))
    }

    @Test func rejectsMismatchedShapes() throws {
        #expect(throws: GemmError.self) { try Linear(weight: [1, 2, 3], bias: nil, outFeatures: 2, inFeatures: 2) }
        #expect(throws: GemmError.self) { try Linear(weight: [1, 2, 3, 4], bias: [1], outFeatures: 2, inFeatures: 2) }
        let linear = try Linear(weight: [1, 2, 3, 4], bias: nil, outFeatures: 2, inFeatures: 2)
        #expect(throws: GemmError.self) { try linear.forward([1, 2, 3], rows: 2) }
        #expect(try linear.forward([1, 0, 0, 1], rows: 2) == [1, 3, 2, 4])
        #expect(try linear.forward([], rows: 0) == [])
    }

    @Test func kernelNamesSayWhatRuns() throws {
        let blas = try Linear(weight: [1], bias: nil, outFeatures: 1, inFeatures: 1)
        #expect(blas.kernelName() == "openblas sgemm (\(BLAS.coreName))")
        #expect(!BLAS.coreName.isEmpty && BLAS.coreName != "unknown")
    }
}
