import Foundation
import VisionCore

/// What `vlserve bench-preprocess` prints: the image and the median of each preprocessing phase.
///
/// `--json` (`jsonLine()`): `{"decode_ms", "height", "image", "iterations", "patchify_ms", "resize_ms",
/// "threads", "total_ms", "width"}`, times in milliseconds rounded to 3 decimals (`format` is table-only).
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
    }

    /// The image line and one line per phase: `  decode                   2.521 ms (median)`.
    public var table: String {
        var lines = ["\(image): \(format) \(width)x\(height), \(iterations) runs, \(threads) thread(s)"]
        for (name, value) in [("decode", decodeMs), ("resize", resizeMs), ("normalise+patchify", patchifyMs),
                              ("total", totalMs)] {
            lines.append("  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(format: " %9.3f ms (median)", value))
        }
        return lines.joined(separator: "\n")
    }
}
