import Foundation
import Testing
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-preprocess` on a small generated JPEG: one sample per run, a report with the same JSON keys
/// as before the move, and the hostile-input error of the pipeline. (No timing assertions.)
struct PreprocessBenchmarkTests {
    /// A 64x48 gradient encoded as JPEG.
    static func jpeg() throws -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<48 {
            for x in 0..<64 { pixels += [UInt8(x * 4), UInt8(y * 5), UInt8((x + y) % 256)] }
        }
        return try JPEGEncoder.encode(RGBImage(width: 64, height: 48, pixels: pixels))
    }

    @Test func runsAndReports() throws {
        let bytes = try Self.jpeg()
        let times = try PreprocessBenchmark.run(jpegBytes: bytes, iterations: 3)
        #expect(times.count == 3 && times.allSatisfy { $0 > 0 })
        #expect(throws: ImageInputError.self) { try PreprocessBenchmark.run(jpegBytes: [1, 2, 3], iterations: 1) }

        let report = try PreprocessBenchmark.report(image: "dir/a \"b\".jpg", bytes: bytes, iterations: 2, threads: 1)
        #expect(report.format == "jpeg" && report.width == 64 && report.height == 48)
        #expect(report.iterations == 2 && report.threads == 1)
        #expect(report.totalMs > 0 && report.decodeMs > 0)
        let lines = report.table.split(separator: "\n")
        let hashes = report.cacheKey.map(\.implementation)
        #expect(hashes.first == "reference" && hashes.count >= 1 && hashes.count <= 2)
        #expect(report.cacheKey.allSatisfy { $0.bytes == bytes.count && $0.milliseconds > 0 })
        #expect(lines.count == 5 + hashes.count)
        #expect(lines[5].hasPrefix("  cache key reference"))
        #expect(lines.first == #"dir/a "b".jpg: jpeg 64x48, 2 runs, 1 thread(s)"#)
        #expect(lines[4].hasPrefix("  total ") && lines[4].hasSuffix(" ms (median)"))

        // The JSON is valid even for a path with quotes (the old format string was not).
        struct Decoded: Decodable {
            let image: String
            let width: Int
            let height: Int
            let iterations: Int
            let threads: Int
            let decode_ms: Double
            let resize_ms: Double
            let patchify_ms: Double
            let total_ms: Double
            let cache_key_ms: [String: Double]
        }
        let line = try report.jsonLine()
        let decoded = try JSONDecoder().decode(Decoded.self, from: Data(line.utf8))
        #expect(decoded.image == "dir/a \"b\".jpg" && decoded.width == 64 && decoded.height == 48)
        #expect(decoded.iterations == 2 && decoded.threads == 1)
        #expect(abs(decoded.total_ms - report.totalMs) <= 0.0005)
        #expect(Set(decoded.cache_key_ms.keys) == Set(hashes))
        let keys = try JSONDecoder().decode([String: AnyKeys].self, from: Data(line.utf8)).keys
        #expect(Set(keys) == ["image", "width", "height", "iterations", "threads", "decode_ms", "resize_ms",
                              "patchify_ms", "total_ms", "cache_key_ms"])
    }

    /// Medians are per phase over the samples, in milliseconds.
    @Test func reportTakesMediansInMilliseconds() {
        func timing(_ d: Double, _ r: Double, _ p: Double) -> PreprocessTiming {
            var t = PreprocessTiming()
            (t.decodeSeconds, t.resizeSeconds, t.patchifySeconds) = (d, r, p)
            return t
        }
        let report = PreprocessBenchmarkReport(
            image: "x.png", header: ImageHeader(format: .png, width: 5, height: 7), iterations: 3, threads: 2,
            samples: [timing(0.001, 0.010, 0.100), timing(0.003, 0.030, 0.300), timing(0.002, 0.020, 0.200)])
        #expect(report.decodeMs == 2 && report.resizeMs == 20 && report.patchifyMs == 200)
        #expect(abs(report.totalMs - 222) < 1e-9)
        #expect(report.format == "png")
    }
}
