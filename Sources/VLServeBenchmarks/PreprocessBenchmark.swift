import VisionCore

/// Times the preprocessing of one encoded image from bytes to `pixel_values` (decode + resize +
/// normalise + patchify), for `vlserve bench-preprocess` and `scripts/bench-preprocess.py` comparisons.
public enum PreprocessBenchmark {
    /// Runs `iterations` timed preprocessings of `jpegBytes` (any JPEG or PNG) after one untimed warm-up;
    /// returns each run's total time in milliseconds. `threads` as in `ImagePreprocessor`.
    public static func run(jpegBytes: [UInt8], iterations: Int, threads: Int = 1,
                           config: PreprocessorConfig = .qwen25VLDefault, framesPerPatch: Int? = nil) throws -> [Double] {
        try runDetailed(bytes: jpegBytes, iterations: iterations, threads: threads, config: config,
                        framesPerPatch: framesPerPatch)
            .map { $0.totalSeconds * 1000 }
    }

    /// Like `run`, returning the per-phase timings of each run. The wall time of the whole call beyond the
    /// phases' sum (result construction) is added to `patchifySeconds`. `framesPerPatch` 1 is the serving
    /// path of the `folded` patch embedding (`[N, 588]`); nil writes transformers' `[N, 1176]`.
    public static func runDetailed(bytes: [UInt8], iterations: Int, threads: Int = 1,
                                   config: PreprocessorConfig = .qwen25VLDefault,
                                   framesPerPatch: Int? = nil) throws -> [PreprocessTiming] {
        let processor = ImagePreprocessor(config: config, threads: threads, framesPerPatch: framesPerPatch)
        _ = try processor.preprocess(encoded: bytes)
        var samples: [PreprocessTiming] = []
        samples.reserveCapacity(max(iterations, 0))
        for _ in 0..<max(iterations, 0) {
            let start = ContinuousClock.now
            var (_, timing) = try processor.preprocess(encoded: bytes)
            let total = BenchmarkStatistics.seconds(since: start)
            timing.patchifySeconds += max(0, total - timing.totalSeconds)
            samples.append(timing)
        }
        return samples
    }

    /// Decodes the header of `bytes`, runs `runDetailed` and summarises it as a report naming `image`, with the
    /// image cache's key timed by `CacheKeyBenchmark` on the same bytes.
    public static func report(image: String, bytes: [UInt8], iterations: Int, threads: Int = 1,
                              config: PreprocessorConfig = .qwen25VLDefault,
                              framesPerPatch: Int? = nil) throws -> PreprocessBenchmarkReport {
        let header = try ImageDecoder.readHeader(bytes)
        let samples = try runDetailed(bytes: bytes, iterations: iterations, threads: threads, config: config,
                                      framesPerPatch: framesPerPatch)
        var report = PreprocessBenchmarkReport(image: image, header: header, iterations: iterations, threads: threads,
                                               samples: samples)
        report.cacheKey = CacheKeyBenchmark.run(bytes: bytes, iterations: iterations)
        return report
    }
}
