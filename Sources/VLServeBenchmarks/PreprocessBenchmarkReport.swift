import Foundation
import VisionCore

/// What `vlserve bench-preprocess` prints: the image and the median of each preprocessing phase.
///
/// `--json` (`jsonLine()`): `{"cache_key_ms", "decode_ms", "height", "image", "iterations", "patchify_ms",
/// "resize_ms", "threads", "total_ms", "width"}`, times in milliseconds rounded to 3 decimals (`format` is
/// table-only); `cache_key_ms` maps each SHA-256 implementation to its median.
public struct PreprocessBenchmarkReport: BenchmarkReport, Equatable {
    /// The image path as given.
    public var image: String
    /// "jpeg" or "png".
    public var format: String
    public var width: Int
    public var height: Int
    /// Timed runs (after one warm-up).
    public var iterations: Int
    /// Threads used by resize and patchify.
    public var threads: Int
    /// Median decode time (header check and decoding to RGB8), ms.
    public var decodeMs: Double
    /// Median smart_resize + bicubic resize time, ms.
    public var resizeMs: Double
    /// Median rescale, normalise, frame duplication and patchify time, ms.
    public var patchifyMs: Double
    /// Median total time, ms (the median of the totals, not the sum of the medians).
    public var totalMs: Double
    /// The image cache's key (SHA-256 of the bytes) per implementation; not part of `totalMs`. Empty unless set.
    public var cacheKey: [CacheKeyTiming] = []

    /// Summarises `samples` (one per timed run) of the image described by `header`.
    public init(image: String, header: ImageHeader, iterations: Int, threads: Int, samples: [PreprocessTiming]) {
        func median(_ key: KeyPath<PreprocessTiming, Double>) -> Double {
            BenchmarkStatistics.median(samples.map { $0[keyPath: key] * 1000 })
        }
        self.image = image
        format = header.format.rawValue
        width = header.width
        height = header.height
        self.iterations = iterations
        self.threads = threads
        decodeMs = median(\.decodeSeconds)
        resizeMs = median(\.resizeSeconds)
        patchifyMs = median(\.patchifySeconds)
        totalMs = median(\.totalSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case image, width, height, iterations, threads
        case decodeMs = "decode_ms", resizeMs = "resize_ms", patchifyMs = "patchify_ms", totalMs = "total_ms"
        case cacheKey = "cache_key_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(image, forKey: .image)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(threads, forKey: .threads)
        try c.encodeFinite(BenchmarkStatistics.rounded(decodeMs, places: 3), forKey: .decodeMs)
        try c.encodeFinite(BenchmarkStatistics.rounded(resizeMs, places: 3), forKey: .resizeMs)
        try c.encodeFinite(BenchmarkStatistics.rounded(patchifyMs, places: 3), forKey: .patchifyMs)
        try c.encodeFinite(BenchmarkStatistics.rounded(totalMs, places: 3), forKey: .totalMs)
        try c.encode(Dictionary(uniqueKeysWithValues: cacheKey.map {
            ($0.implementation, BenchmarkStatistics.rounded($0.milliseconds, places: 3))
        }), forKey: .cacheKey)
    }

    /// The image line, one line per phase (`  decode                   2.521 ms (median)`), then one line per
    /// cache-key implementation with its MB/s and its speed-up over the reference.
    public var table: String {
        var lines = ["\(image): \(format) \(width)x\(height), \(iterations) runs, \(threads) thread(s)"]
        for (name, value) in [("decode", decodeMs), ("resize", resizeMs), ("normalise+patchify", patchifyMs),
                              ("total", totalMs)] {
            lines.append("  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(format: " %9.3f ms (median)", value))
        }
        let reference = cacheKey.first { $0.implementation == "reference" }
        for row in cacheKey {
            var line = "  " + "cache key \(row.implementation)".padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(format: " %9.3f ms (median), %.0f MB/s, SHA-256 of the bytes, not in total", row.milliseconds,
                         row.megabytesPerSecond)
            if let reference, row.implementation != reference.implementation, row.milliseconds > 0 {
                line += String(format: "; %.1fx the reference", reference.milliseconds / row.milliseconds)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
