/// Times the preprocessing of one encoded image from bytes to `pixel_values` (decode + resize +
/// normalise + patchify), for `vlserve bench-preprocess` and `scripts/bench-preprocess.py` comparisons.
public enum PreprocessBenchmark {
    /// One timed run: total and per-phase seconds.
    public typealias Sample = PreprocessTiming

    /// Runs `iterations` timed preprocessings of `jpegBytes` (any JPEG or PNG) after one untimed warm-up;
    /// returns each run's total time in milliseconds. `threads` as in `ImagePreprocessor`.
    public static func run(jpegBytes: [UInt8], iterations: Int, threads: Int = 1,
                           config: PreprocessorConfig = .qwen25VLDefault) throws -> [Double] {
        try runDetailed(bytes: jpegBytes, iterations: iterations, threads: threads, config: config)
            .map { $0.totalSeconds * 1000 }
    }

    /// Like `run`, returning the per-phase timings of each run.
    public static func runDetailed(bytes: [UInt8], iterations: Int, threads: Int = 1,
                                   config: PreprocessorConfig = .qwen25VLDefault) throws -> [Sample] {
        let processor = ImagePreprocessor(config: config, threads: threads)
        _ = try processor.preprocess(encoded: bytes)
        var samples: [Sample] = []
        samples.reserveCapacity(max(iterations, 0))
        for _ in 0..<max(iterations, 0) {
            let start = ContinuousClock.now
            var (_, timing) = try processor.preprocess(encoded: bytes)
            // Wall time of the whole call (includes the result's deallocation-free construction).
            let total = ImagePreprocessor.seconds(since: start)
            timing.patchifySeconds += max(0, total - timing.totalSeconds)
            samples.append(timing)
        }
        return samples
    }

    /// The median of `values` (0 when empty).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
