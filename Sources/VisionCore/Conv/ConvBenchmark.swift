import Foundation

/// `vlserve bench-conv`: times every `Conv3dImplementation` and a raw `cblas_sgemm` on the Qwen2.5-VL patch
/// embedding shape `[patches, 1176] x [1176, 1280]` in one run, with seeded weights and inputs.
///
/// Runs are interleaved (one of each implementation per round) so drift affects all alike; each reported time
/// is the median over `repeats` rounds after one warm-up. `direct` (the reference every `max_abs_diff` is
/// measured against) runs `directRepeats` times. The allocating `PatchEmbedding.embed` API is what is timed;
/// the raw sgemm writes into a preallocated buffer.
public enum ConvBenchmark {
    /// One row of the report.
    public struct Result: Sendable, Equatable {
        /// "direct", "im2col", "gemm", "auto" or "sgemm".
        public var impl: String
        public var medianMs: Double
        /// `2 · patches · 1176 · 1280 / time`.
        public var gflops: Double
        /// This row's GFLOP/s over raw sgemm's.
        public var ratioToSgemm: Double
        /// max |out − direct| over all outputs.
        public var maxAbsDiff: Double
    }

    public struct Report: Sendable, Equatable {
        public var patches: Int
        public var threads: Int
        public var repeats: Int
        /// Floating-point operations per run (2·M·N·K).
        public var flops: Double
        public var results: [Result]

        /// `{"patches": N, "threads": T, "results": [{"impl": ..., "median_ms": ..., "gflops": ...,
        /// "ratio_to_sgemm": ..., "max_abs_diff": ...}, ...]}` on one line.
        public var json: String {
            func num(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
            let rows = results.map { r in
                "{\"impl\": \"\(r.impl)\", \"median_ms\": \(num(round4(r.medianMs))), \"gflops\": \(num(round4(r.gflops))), "
                    + "\"ratio_to_sgemm\": \(num(round4(r.ratioToSgemm))), \"max_abs_diff\": \(num(r.maxAbsDiff))}"
            }
            return "{\"patches\": \(patches), \"threads\": \(threads), \"results\": [\(rows.joined(separator: ", "))]}"
        }

        /// A human-readable table.
        public var table: String {
            func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
                let fill = String(repeating: " ", count: max(0, width - s.count))
                return left ? s + fill : fill + s
            }
            var lines = [pad("impl", 8, left: true) + pad("median ms", 11) + pad("GFLOP/s", 10) + pad("vs sgemm", 10)
                + pad("max |diff| vs direct", 22)]
            for r in results {
                lines.append(pad(r.impl, 8, left: true) + pad(String(format: "%.2f", r.medianMs), 11)
                    + pad(String(format: "%.1f", r.gflops), 10) + pad(String(format: "%.3fx", r.ratioToSgemm), 10)
                    + pad(String(format: "%.3e", r.maxAbsDiff), 22))
            }
            return lines.joined(separator: "\n")
        }
    }

    private static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

    /// Runs the benchmark. `progress` receives short human messages (for stderr).
    public static func run(patches: Int, threads: Int, repeats: Int = 10, directRepeats: Int = 1,
                           implementations: [Conv3dImplementation] = Conv3dImplementation.allCases,
                           progress: (String) -> Void = { _ in }) throws -> Report {
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
            directTimes.append(seconds(since: t0))
        }
        progress(String(format: "direct: %.0f ms", median(directTimes) * 1000))

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
            return seconds(since: t0)
        }
        // Warm-up round (not timed), then `repeats` interleaved rounds.
        _ = runSgemm()
        for impl in timed { outputs[impl.rawValue] = try embedding.embed(pixelValues: pixels, rows: patches, implementation: impl) }
        for round in 0..<repeats {
            times["sgemm", default: []].append(runSgemm())
            for impl in timed {
                let t0 = ContinuousClock.now
                let out = try embedding.embed(pixelValues: pixels, rows: patches, implementation: impl)
                times[impl.rawValue, default: []].append(seconds(since: t0))
                withExtendedLifetime(out) {}
            }
            if (round + 1) % max(1, repeats / 5) == 0 || round + 1 == repeats {
                progress("round \(round + 1)/\(repeats)")
            }
        }
        outputs["sgemm"] = sgemmOut

        let sgemmSeconds = median(times["sgemm"]!)
        var results: [Result] = []
        func add(_ name: String, _ secs: Double, _ out: [Float]) {
            var diff = 0.0
            for i in out.indices { diff = max(diff, Double(abs(out[i] - reference[i]))) }
            results.append(Result(impl: name, medianMs: secs * 1000, gflops: flops / secs / 1e9,
                                  ratioToSgemm: sgemmSeconds / secs, maxAbsDiff: diff))
        }
        if implementations.contains(.direct) { add("direct", median(directTimes), reference) }
        for impl in timed { add(impl.rawValue, median(times[impl.rawValue]!), outputs[impl.rawValue]!) }
        add("sgemm", sgemmSeconds, sgemmOut)
        return Report(patches: patches, threads: BLAS.threads, repeats: repeats, flops: flops, results: results)
    }

    /// The median of `values` (mean of the middle two for an even count; 0 when empty).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
