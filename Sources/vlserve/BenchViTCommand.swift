import ArgumentParser
import Foundation
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-vit`: the whole vision tower per operator, selected implementations against the references.
struct BenchViTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-vit",
        abstract: "Benchmark the vision tower per operator: selected implementations against the naive references.",
        discussion: """
            Runs the whole Qwen2.5-VL vision tower (config.json's vision_config from --model-dir, else the 7B \
            config) with seeded weights on one image of --image-size (smart_resize decides the grid), with the \
            --vit-* implementations and with every operator's reference, interleaved. Prints per operator the \
            median ms, GFLOP/s, share of the tower and the speedup over the reference. Use a release build.
            """)

    @Option(name: .customLong("image-size"), help: "Image size WxH (the grid is that of its smart_resize).")
    var imageSize: String = "448x448"

    @Option(name: .customLong("model-dir"), help: "Directory whose config.json gives the vision config.")
    var modelDir: String = "models/qwen2.5-vl-7b"

    @Option(help: "Timed runs of the selected tower (median reported).")
    var repeats: Int = 3

    @Option(name: .customLong("reference-repeats"), help: "Runs of the all-reference tower (0 skips it).")
    var referenceRepeats: Int = 1

    @Option(help: "Threads for the GEMMs and the operators (default: all cores).")
    var threads: Int?

    @OptionGroup(title: "Vision GEMMs") var gemm: GemmOptions
    @OptionGroup(title: "Vision operators") var operators: VisionOperatorFlags

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        _ = try BenchConvCommand.parseSize(imageSize)
        if repeats <= 0 { throw ValidationError("--repeats must be positive") }
        if referenceRepeats < 0 { throw ValidationError("--reference-repeats must not be negative") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let log = { (message: String) in FileHandle.standardError.write(Data("bench-vit: \(message)\n".utf8)) }
        do {
            if let threads { VisionThreads.set(threads) }
            let config = FileManager.default.fileExists(atPath: (modelDir as NSString).appendingPathComponent("config.json"))
                ? try VisionConfig.load(modelDirectory: modelDir) : VisionConfig()
            let (w, h) = try BenchConvCommand.parseSize(imageSize)
            let pre = PreprocessorConfig.qwen25VLDefault
            let target = try SmartResize.targetSize(height: h, width: w, factor: pre.factor, minPixels: pre.minPixels,
                                                    maxPixels: pre.maxPixels)
            let grid = GridTHW(t: 1, h: target.height / config.patchSize, w: target.width / config.patchSize)
            let options = operators.options(gemm: try gemm.resolve(weightsAreBFloat16: false))
            log("\(imageSize) -> \(target.width)x\(target.height), grid \(grid), \(grid.patches) patches; \(options)")
            let report = try ViTBenchmark.run(config: config, grid: grid, imageSize: imageSize, options: options,
                                              repeats: repeats, referenceRepeats: referenceRepeats, progress: log)
            print(json ? try report.jsonLine() : report.table)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
