import ArgumentParser
import Foundation
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-conv`: every Conv3d implementation and raw cblas_sgemm on the patch-embedding shape of one image.
struct BenchConvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-conv",
        abstract: "Benchmark the Conv3d patch embedding implementations against raw cblas_sgemm.",
        discussion: """
            Times direct, im2col, gemm and auto (PatchEmbedding.embed) and a raw cblas_sgemm on the same \
            [N, 1176] x [1176, 1280] shape with seeded weights, in one run, interleaved. Prints the median time, \
            GFLOP/s, the ratio to raw sgemm and the max abs difference to direct. N comes from --patches or from \
            smart_resize of --image-size (default 1280x720 -> 4784 patches). Use a release build \
            (swift build -c release) for meaningful numbers.
            """)

    @Option(name: .customLong("image-size"), help: "Image size WxH; the patch count is that of its smart_resize.")
    var imageSize: String?

    @Option(help: "Patch count N (rows of pixel_values); overrides --image-size.")
    var patches: Int?

    @Option(help: "OpenBLAS threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Timed rounds per implementation (median reported).")
    var repeats: Int = 10

    @Option(name: .customLong("direct-repeats"), help: "Runs of the slow direct reference.")
    var directRepeats: Int = 1

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        if imageSize != nil && patches != nil { throw ValidationError("give either --image-size or --patches, not both") }
        if let patches, patches <= 0 { throw ValidationError("--patches must be positive") }
        if threads <= 0 { throw ValidationError("--threads must be positive") }
        if repeats <= 0 || directRepeats <= 0 { throw ValidationError("--repeats and --direct-repeats must be positive") }
        if let imageSize { _ = try Self.parseSize(imageSize) }
    }

    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
            throw ValidationError("--image-size must look like 1280x720 (width x height), got '\(text)'")
        }
        return (w, h)
    }

    func run() throws {
        let n: Int
        var shape = ""
        if let patches {
            n = patches
        } else {
            let (w, h) = try Self.parseSize(imageSize ?? "1280x720")
            let config = PreprocessorConfig.qwen25VLDefault
            let target = try SmartResize.targetSize(height: h, width: w, factor: config.factor,
                                                    minPixels: config.minPixels, maxPixels: config.maxPixels)
            n = (target.height / config.patchSize) * (target.width / config.patchSize)
            shape = " (\(w)x\(h) -> \(target.width)x\(target.height))"
        }
        let log = { (message: String) in FileHandle.standardError.write(Data("bench-conv: \(message)\n".utf8)) }
        log("\(n) patches\(shape), [\(n), 1176] x [1176, 1280], \(threads) OpenBLAS thread(s), \(repeats) rounds")
        let report = try ConvBenchmark.run(patches: n, threads: threads, repeats: repeats, directRepeats: directRepeats,
                                           progress: log)
        if json {
            print(try report.jsonLine())
        } else {
            print("\(n) patches\(shape), " + String(format: "%.2f", report.flops / 1e9)
                + " GFLOP per run, \(report.threads) OpenBLAS thread(s), median of \(repeats) rounds")
            print(report.table)
        }
    }
}
