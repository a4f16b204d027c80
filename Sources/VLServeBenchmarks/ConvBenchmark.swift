import Foundation
import VisionCore

/// `vlserve bench-conv`: times every `Conv3dImplementation` and a raw `cblas_sgemm` on the Qwen2.5-VL patch
/// embedding shape `[patches, 1176] x [1176, 1280]` in one run, with seeded weights and inputs.
///
/// Runs are interleaved (one of each implementation per round) so drift affects all alike; each reported time
/// is the median over `repeats` rounds after one warm-up. `direct` (the reference every `max_abs_diff` is
/// measured against) runs `directRepeats` times. The allocating `PatchEmbedding.embed` API is what is timed;
/// the raw sgemm writes into a preallocated buffer.
public enum ConvBenchmark {
    /// Runs the benchmark. `progress` receives short human messages (for stderr).
    public static func run(patches: Int, threads: Int, repeats: Int = 10, directRepeats: Int = 1,
                           implementations: [Conv3dImplementation] = Conv3dImplementation.allCases,
                           progress: (String) -> Void = { _ in }) throws -> ConvBenchmarkReport {
        precondition(patches > 0 && repeats > 0 && directRepeats > 0)
        BLAS.setThreads(threads)
        let config = VisionConfig()
        let weights = VisionWeights.seeded(config: config)
        let embedding = try weights.patchEmbedding()
        let k = embedding.inputSize, n = embedding.hiddenSize
        let pixels = SeededInit(seed: 1).uniform("bench.pixel_values", count: patches * k, bound: 2)
        let flops = 2.0 * Double(patches) * Double(k) * Double(n)

        progress(String(format: "running direct (the reference, %.1f GFLOP, single-threaded, no BLAS)",
                        flops / 1e9))
        var directTimes: [Double] = []
        var reference: [Float] = []
        for _ in 0..<directRepeats {
            let t0 = ContinuousClock.now
            reference = try embedding.embed(pixelValues: pixels, rows: patches, implementation: .direct)
            directTimes.append(BenchmarkStatistics.seconds(since: t0))
        }
        progress(String(format: "direct: %.0f ms", BenchmarkStatistics.median(directTimes) * 1000))

        var sgemmOut = [Float](repeating: 0, count: patches * n)
        let timed = implementations.filter { $0 != .direct }
        var times: [String: [Double]] = [:]
        var outputs: [String: [Float]] = [:]
        func runSgemm() -> Double {
            let t0 = ContinuousClock.now
            pixels.withUnsafeBufferPointer { a in
                weights.patchEmbed.withUnsafeBufferPointer { b in
                    sgemmOut.withUnsafeMutableBufferPointer { c in
                        BLAS.sgemmABt(m: patches, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    }
                }
            }
            return BenchmarkStatistics.seconds(since: t0)
        }
        // Warm-up round (not timed), then `repeats` interleaved rounds.
        _ = runSgemm()
        for impl in timed { outputs[impl.rawValue] = try embedding.embed(pixelValues: pixels, rows: patches, implementation: impl) }
        for round in 0..<repeats {
            times["sgemm", default: []].append(runSgemm())
            for impl in timed {
                let t0 = ContinuousClock.now
                let out = try embedding.embed(pixelValues: pixels, rows: patches, implementation: impl)
                times[impl.rawValue, default: []].append(BenchmarkStatistics.seconds(since: t0))
                withExtendedLifetime(out) {}
            }
            if (round + 1) % max(1, repeats / 5) == 0 || round + 1 == repeats {
                progress("round \(round + 1)/\(repeats)")
            }
        }
        outputs["sgemm"] = sgemmOut

        let sgemmSeconds = BenchmarkStatistics.median(times["sgemm"]!)
        var results: [ConvBenchmarkRow] = []
        func add(_ name: String, _ secs: Double, _ out: [Float]) {
            var diff = 0.0
            for i in out.indices { diff = max(diff, Double(abs(out[i] - reference[i]))) }
            results.append(ConvBenchmarkRow(impl: name, medianMs: secs * 1000, gflops: flops / secs / 1e9,
                                  ratioToSgemm: sgemmSeconds / secs, maxAbsDiff: diff))
        }
        if implementations.contains(.direct) { add("direct", BenchmarkStatistics.median(directTimes), reference) }
        for impl in timed { add(impl.rawValue, BenchmarkStatistics.median(times[impl.rawValue]!), outputs[impl.rawValue]!) }
        add("sgemm", sgemmSeconds, sgemmOut)
        return ConvBenchmarkReport(patches: patches, threads: BLAS.threads, repeats: repeats, flops: flops, results: results)
    }
}
