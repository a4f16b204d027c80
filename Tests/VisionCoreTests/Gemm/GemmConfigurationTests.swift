import Testing
@testable import VisionCore

@Suite struct GemmConfigurationTests {
    static var avx2: CPUFeatures {
        var f = CPUFeatures()
        f.avx2 = true
        f.fma = true
        return f
    }

    static var avx512bf16: CPUFeatures {
        var f = avx2
        f.avx512f = true; f.avx512bw = true; f.avx512vl = true; f.avx512bf16 = true
        return f
    }

    @Test func autoPicksBFloat16OnlyForBF16WeightsOnANativeCPU() throws {
        let pick = { (weightsBF16: Bool, cpu: CPUFeatures) throws in
            try GemmConfiguration.resolve(dtype: .auto, backend: .auto, weightsAreBFloat16: weightsBF16, cpu: cpu)
        }
        #expect(try pick(true, Self.avx512bf16) == GemmConfiguration(backend: .onednn, dtype: .bfloat16))
        #expect(try pick(false, Self.avx512bf16) == GemmConfiguration(backend: .openblas, dtype: .float32))
        #expect(try pick(true, Self.avx2) == GemmConfiguration(backend: .openblas, dtype: .float32))
    }

    @Test func impossibleCombinationsSayWhatToUse() {
        do {
            _ = try GemmConfiguration.resolve(dtype: .bfloat16, backend: .auto, weightsAreBFloat16: true, cpu: Self.avx2)
            Issue.record("bf16 on AVX2 must fail")
        } catch {
            #expect(error.description.contains("avx512_bf16"))
            #expect(error.description.contains("this one has: avx2 fma"))
            #expect(error.description.contains("--dtype float32"))
        }
        do {
            _ = try GemmConfiguration.resolve(dtype: .bfloat16, backend: .openblas, weightsAreBFloat16: true,
                                              cpu: Self.avx512bf16)
            Issue.record("bf16 on OpenBLAS must fail")
        } catch {
            #expect(error.description.contains("--gemm-backend onednn"))
        }
    }

    @Test func explicitChoicesAreKept() throws {
        #expect(try GemmConfiguration.resolve(dtype: .float32, backend: .onednn, weightsAreBFloat16: true,
                                              cpu: Self.avx2) == GemmConfiguration(backend: .onednn, dtype: .float32))
        #expect(try GemmConfiguration.resolve(dtype: .bfloat16, backend: .auto, weightsAreBFloat16: false,
                                              cpu: Self.avx512bf16) == GemmConfiguration(backend: .onednn, dtype: .bfloat16))
    }

    @Test func oneDNNsISACapHidesFeatures() {
        let full = Self.avx512bf16
        #expect(!full.capped(at: "AVX2").avx512f && full.capped(at: "avx2").avx2)
        #expect(!full.capped(at: "AVX512_CORE").nativeBF16 && full.capped(at: "AVX512_CORE").avx512f)
        #expect(full.capped(at: "AVX512_CORE_BF16").nativeBF16)
        #expect(full.capped(at: "ALL") == full)
        #expect(full.names == ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16"])
    }
}
