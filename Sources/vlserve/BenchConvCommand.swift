import ArgumentParser
import Foundation
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-conv`: every Conv3d implementation and raw cblas_sgemm on the patch-embedding shape of one image.
struct BenchConvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-conv",
        abstract: "Benchmark the Conv3d patch embedding implementations on every GEMM backend and dtype.",
        discussion: """
            Times direct (float32 naive reference), conv (oneDNN convolution), im2col, gemm and auto \
            (PatchEmbedding.embed) on each GEMM backend and dtype that runs here (openblas float32, onednn float32, \
            onednn bfloat16 when the CPU has native bf16), and the raw library calls alone (cblas_sgemm, oneDNN \
            matmul), on the same [N, 1176] x [1176, 1280] shape with seeded weights, in one run, interleaved. \
            Prints the CPU, its features and the kernels, then per row the median time, GFLOP/s, the ratio to raw \
            sgemm and to the raw call of the same backend and dtype, and the max abs difference to direct. \
            --dtype and --gemm-backend restrict the rows (auto: all). N comes from --patches or from smart_resize \
            of --image-size (default 1280x720 -> 4784 patches). Use a release build for meaningful numbers; \
            OPENBLAS_CORETYPE, when set, picks the OpenBLAS kernel (the header names it).
            """)

    @Option(name: .customLong("image-size"), help: "Image size WxH; the patch count is that of its smart_resize.")
    var imageSize: String?

    @Option(help: "Patch count N (rows of pixel_values); overrides --image-size.")
    var patches: Int?

    @Option(help: "Threads of each GEMM, OpenBLAS and oneDNN alike (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Only rows of this dtype (auto: every dtype that runs here).", valueName: "dtype"))
    var dtype: DTypeChoice = .auto

    @Option(name: .customLong("gemm-backend"), help: ArgumentHelp("Only rows of this backend (auto: both).", valueName: "backend"))
    var gemmBackend: GemmBackendChoice = .auto

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
        if dtype == .bfloat16 && !CPUFeatures.current.nativeBF16 {
            throw ValidationError("--dtype bfloat16 needs native bf16 (avx512_bf16 or amx_bf16); this CPU has: "
                                  + CPUFeatures.current.names.joined(separator: " "))
        }
        if dtype == .bfloat16 && gemmBackend == .openblas {
            throw ValidationError("--gemm-backend openblas runs float32 only; use onednn (or auto) for bfloat16")
        }
    }

    /// The configurations to time, after --dtype and --gemm-backend.
    var selectedConfigurations: [GemmConfiguration] {
        ConvBenchmark.configurations().filter { gemm in
            (dtype == .auto || gemm.dtype.rawValue == dtype.rawValue)
                && (gemmBackend == .auto || gemm.backend.rawValue == gemmBackend.rawValue)
        }
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
        log("\(n) patches\(shape), [\(n), 1176] x [1176, 1280], \(threads) thread(s), \(repeats) rounds; \(VisionInfo.summary)")
        let report = try ConvBenchmark.run(patches: n, threads: threads, repeats: repeats, directRepeats: directRepeats,
                                           configurations: selectedConfigurations, progress: log)
        if json {
            print(try report.jsonLine())
        } else {
            print("\(n) patches\(shape), " + String(format: "%.2f", report.flops / 1e9)
                + " GFLOP per run, \(report.threads) thread(s), median of \(repeats) rounds")
            print(report.table)
        }
    }
}
