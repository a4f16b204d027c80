import Foundation
import VisionCore

/// `vlserve bench-conv`: times every `Conv3dImplementation` on every GEMM backend and dtype that applies,
/// and the raw library calls alone (`cblas_sgemm`, oneDNN's float32 and bfloat16 matmul through `Linear`
/// into a preallocated buffer), on the Qwen2.5-VL patch-embedding shape `[patches, 1176] x [1176, 1280]`,
/// in one run, with seeded weights and inputs.
///
/// Runs are interleaved (one of each variant per round) so drift affects all alike; each reported time is
/// the median over `repeats` rounds after one warm-up. `direct` (float32, the reference every
/// `max_abs_diff` is measured against) runs `directRepeats` times. The allocating `PatchEmbedding.embed`
/// API is what is timed for the implementations (`embedStill` on one frame per patch for `folded`, as the
/// server runs it). The input is a still image (both temporal frames equal). GFLOP/s is always counted on the
/// full `2·N·1176·1280` work, so `folded`'s halved FLOPs show as a higher rate.
public enum ConvBenchmark {
    /// One timed variant: an implementation on a configuration, or a raw call.
    struct Variant {
        var impl: String
        var gemm: GemmConfiguration
        var raw: Bool
        var kernel: String
        var run: () throws -> [Float]
    }

    /// The configurations to time: openblas float32, onednn float32, and onednn bfloat16 when the CPU runs
    /// bfloat16 natively.
    public static func configurations(cpu: CPUFeatures = .current) -> [GemmConfiguration] {
        var result = [GemmConfiguration(backend: .openblas, dtype: .float32), GemmConfiguration(backend: .onednn, dtype: .float32)]
        if cpu.nativeBF16 { result.append(GemmConfiguration(backend: .onednn, dtype: .bfloat16)) }
        return result
    }

    /// Runs the benchmark. `progress` receives short human messages (for stderr).
    public static func run(patches: Int, threads: Int, repeats: Int = 10, directRepeats: Int = 1,
                           implementations: [Conv3dImplementation] = Conv3dImplementation.allCases,
                           configurations: [GemmConfiguration] = ConvBenchmark.configurations(),
                           progress: (String) -> Void = { _ in }) throws -> ConvBenchmarkReport {
        precondition(patches > 0 && repeats > 0 && directRepeats > 0)
        VisionThreads.set(threads)
        let config = VisionConfig()
        let weights = VisionWeights.seeded(config: config)
        let k = config.patchInputSize, n = config.hiddenSize
        // A still image, as every served image is: one seeded frame per patch, duplicated into both
        // temporal frames (transformers' layout), so `folded` applies.
        let frameSize = k / config.temporalPatchSize
        let frames = SeededInit(seed: 1).uniform("bench.pixel_values", count: patches * frameSize, bound: 2)
        var pixels = [Float](repeating: 0, count: patches * k)
        let plane = config.patchSize * config.patchSize
        for r in 0..<patches {
            for c in 0..<config.inChannels {
                for t in 0..<config.temporalPatchSize {
                    for i in 0..<plane {
                        pixels[r * k + (c * config.temporalPatchSize + t) * plane + i] = frames[r * frameSize + c * plane + i]
                    }
                }
            }
        }
        let flops = 2.0 * Double(patches) * Double(k) * Double(n)

        var reference: [Float] = []
        var directTimes: [Double] = []
        if implementations.contains(.direct) {
            let embedding = try weights.patchEmbedding()
            progress(String(format: "running direct (the reference, %.1f GFLOP, single-threaded, no library)", flops / 1e9))
            for _ in 0..<directRepeats {
                let t0 = ContinuousClock.now
                reference = try embedding.embed(pixelValues: pixels, rows: patches, implementation: .direct)
                directTimes.append(BenchmarkStatistics.seconds(since: t0))
            }
            progress(String(format: "direct: %.0f ms", BenchmarkStatistics.median(directTimes) * 1000))
        }

        var variants: [Variant] = []
        for gemm in configurations {
            // The raw library call of this backend and dtype, into a preallocated buffer.
            var rawOut = [Float](repeating: 0, count: patches * n)
            if gemm.backend == .openblas {
                variants.append(Variant(impl: "sgemm", gemm: gemm, raw: true, kernel: "cblas_sgemm (\(BLAS.coreName))") {
                    pixels.withUnsafeBufferPointer { a in
                        weights.patchEmbed.withUnsafeBufferPointer { b in
                            rawOut.withUnsafeMutableBufferPointer { c in
                                BLAS.sgemmABt(m: patches, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                            }
                        }
                    }
                    return rawOut
                })
            } else {
                let linear = try Linear(weight: weights.patchEmbed, bias: nil, outFeatures: n, inFeatures: k, configuration: gemm)
                variants.append(Variant(impl: "onednn-matmul", gemm: gemm, raw: true, kernel: linear.kernelName(rows: patches)) {
                    try pixels.withUnsafeBufferPointer { a in
                        try rawOut.withUnsafeMutableBufferPointer { c in
                            try linear.forward(a.baseAddress!, rows: patches, into: c.baseAddress!)
                        }
                    }
                    return rawOut
                })
            }
            let embedding = try weights.patchEmbedding(gemm: gemm)
            for impl in implementations where impl != .direct {
                // `conv` runs on oneDNN whatever the GEMM backend: time it once per dtype, under onednn.
                if impl == .conv && gemm.backend != .onednn { continue }
                variants.append(Variant(impl: impl.rawValue, gemm: gemm, raw: false,
                                        kernel: embedding.kernelName(impl, rows: patches)) {
                    // `folded` is timed as the server runs it: on the one frame per patch the preprocessor wrote.
                    impl == .folded ? try embedding.embedStill(frames: frames, rows: patches)
                        : try embedding.embed(pixelValues: pixels, rows: patches, implementation: impl)
                })
            }
        }

        progress("\(variants.count) variants: " + variants.map { "\($0.impl)/\($0.gemm.backend.rawValue)/\($0.gemm.dtype.rawValue)" }
            .joined(separator: ", "))
        var times = [[Double]](repeating: [], count: variants.count)
        var outputs = [[Float]](repeating: [], count: variants.count)
        for (i, variant) in variants.enumerated() { outputs[i] = try variant.run() }  // warm-up, kept for the diff
        for round in 0..<repeats {
            for (i, variant) in variants.enumerated() {
                let t0 = ContinuousClock.now
                let out = try variant.run()
                times[i].append(BenchmarkStatistics.seconds(since: t0))
                withExtendedLifetime(out) {}
            }
            if (round + 1) % max(1, repeats / 5) == 0 || round + 1 == repeats {
                progress("round \(round + 1)/\(repeats)")
            }
        }

        let medians = times.map(BenchmarkStatistics.median)
        let sgemmSeconds = zip(variants, medians).first { $0.0.impl == "sgemm" }?.1 ?? .nan
        func rawSeconds(_ gemm: GemmConfiguration) -> Double {
            zip(variants, medians).first { $0.0.raw && $0.0.gemm == gemm }?.1 ?? .nan
        }
        func diff(_ out: [Float]) -> Double {
            guard reference.count == out.count else { return .nan }
            var d = 0.0
            for i in out.indices { d = max(d, Double(abs(out[i] - reference[i]))) }
            return d
        }
        var results: [ConvBenchmarkRow] = []
        if !directTimes.isEmpty {
            let secs = BenchmarkStatistics.median(directTimes)
            results.append(ConvBenchmarkRow(impl: "direct", backend: "none", dtype: "float32", kernel: "naive loops",
                                            medianMs: secs * 1000, gflops: flops / secs / 1e9,
                                            ratioToSgemm: sgemmSeconds / secs, ratioToRaw: .nan, maxAbsDiff: 0))
        }
        for (i, variant) in variants.enumerated() {
            let secs = medians[i]
            results.append(ConvBenchmarkRow(impl: variant.impl, backend: variant.gemm.backend.rawValue,
                                            dtype: variant.gemm.dtype.rawValue, kernel: variant.kernel,
                                            medianMs: secs * 1000, gflops: flops / secs / 1e9,
                                            ratioToSgemm: sgemmSeconds / secs, ratioToRaw: rawSeconds(variant.gemm) / secs,
                                            maxAbsDiff: diff(outputs[i])))
        }
        let features = CPUFeatures.current
        return ConvBenchmarkReport(patches: patches, threads: VisionThreads.count, repeats: repeats, flops: flops,
                                   results: results, cpu: CPUFeatures.modelName, cpuFeatures: features.names,
                                   blasCore: BLAS.coreName, onednn: VisionInfo.onednnVersion)
    }
}
