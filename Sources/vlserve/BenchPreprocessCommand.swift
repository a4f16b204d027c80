import ArgumentParser
import Foundation
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-preprocess IMAGE`: times VLServe's preprocessing of one encoded image, from its bytes to
/// `pixel_values` (decode, smart_resize + Pillow-exact bicubic, normalise, patchify), and prints the median of
/// each phase in milliseconds. `scripts/bench-vision.py` and `scripts/bench-preprocess.py` put it next to
/// transformers' torchvision and PIL processors on the same bytes.
struct BenchPreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-preprocess",
        abstract: "Benchmark image preprocessing (bytes to pixel_values) on one JPEG or PNG.")

    @Argument(help: "A JPEG or PNG file.")
    var image: String

    @Option(help: "Timed runs (after one warm-up); the median is reported.")
    var iterations = 30

    @Option(help: "Threads used by resize and patchify (results are identical for any count).")
    var threads = 1

    @Option(name: .customLong("model-dir"), help: "Model directory whose preprocessor_config.json is used.")
    var modelDir = "models/qwen2.5-vl-7b"

    @Option(name: .customLong("frames-per-patch"),
            help: "Temporal frames written per patch row: 2 (transformers' [N, 1176]) or 1 (the folded patch embedding's [N, 588], the server's path with --conv-impl folded).")
    var framesPerPatch = FramesPerPatch.two

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        if iterations <= 0 { throw ValidationError("--iterations must be positive") }
        if threads <= 0 { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: image) else {
            throw ValidationError("cannot read '\(image)': check the path")
        }
        let config = (try? PreprocessorConfig.load(modelDirectory: modelDir)) ?? .qwen25VLDefault
        let report = try PreprocessBenchmark.report(image: image, bytes: [UInt8](data), iterations: iterations,
                                                    threads: threads, config: config, framesPerPatch: framesPerPatch.rawValue)
        print(json ? try report.jsonLine() : report.table)
    }
}
