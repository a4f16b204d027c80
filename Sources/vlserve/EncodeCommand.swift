import ArgumentParser
import Foundation
import VisionCore
import VLServeKit

/// `vlserve encode`: image file -> pixel_values, image_grid_thw and patch_embeds in a .safetensors file.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Preprocess an image and run the patch embedding (or the whole vision tower); write safetensors.",
        discussion: """
            Writes pixel_values (F32 [N, 1176]), image_grid_thw (I64 [1, 3]) and patch_embeds (F32 [N, 1280]), \
            readable with Python's safetensors (safetensors.numpy.load_file); with --vision-encoder full also \
            image_embeds (F32 [N/4, out_hidden_size]), the vision tower's output as transformers' pooler_output. \
            Weights come from --weights, else from safetensors files in --model-dir, else a deterministic seeded \
            initialisation (said on stderr; the tower then uses SeededInit.towerParameter for every parameter).
            """)

    @Argument(help: "A JPEG or PNG file.")
    var image: String

    @Option(help: "Output .safetensors path.")
    var out: String

    @Option(name: .customLong("model-dir"), help: "Directory with config.json and preprocessor_config.json.")
    var modelDir: String = "models/qwen2.5-vl-7b"

    @Option(help: "A safetensors file or checkpoint directory (sharded or not) holding visual.patch_embed.proj.weight.")
    var weights: String?

    @Option(name: .customLong("conv-impl"), help: "Conv3d implementation of the patch embedding.")
    var convImpl = Conv3dImplementation.auto

    @OptionGroup(title: "Vision GEMMs") var gemm: GemmOptions

    @Option(name: .customLong("vision-encoder"),
            help: "patch-embed (the Conv3d patch embedding only) or full (also the whole vision tower: image_embeds).")
    var visionEncoder: VisionEncoderScope = .patchEmbed

    @OptionGroup(title: "Vision operators") var operators: VisionOperatorFlags

    @Option(name: .customLong("min-pixels"), help: "Override preprocessor_config.json's min_pixels.")
    var minPixels: Int?

    @Option(name: .customLong("max-pixels"), help: "Override preprocessor_config.json's max_pixels.")
    var maxPixels: Int?

    func validate() throws {
        if let minPixels, minPixels <= 0 { throw ValidationError("--min-pixels must be positive") }
        if let maxPixels, maxPixels <= 0 { throw ValidationError("--max-pixels must be positive") }
        if let minPixels, let maxPixels, minPixels > maxPixels {
            throw ValidationError("--min-pixels (\(minPixels)) must not exceed --max-pixels (\(maxPixels))")
        }
    }

    func run() throws {
        do {
            try encode()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("encode: \(message)\n".utf8))
    }

    private func encode() throws {
        let impl = convImpl
        guard let data = FileManager.default.contents(atPath: image) else {
            throw EncodeError("cannot read image file \(image)")
        }
        var config: PreprocessorConfig
        let preprocessorPath = (modelDir as NSString).appendingPathComponent("preprocessor_config.json")
        if FileManager.default.fileExists(atPath: preprocessorPath) {
            config = try PreprocessorConfig.load(modelDirectory: modelDir)
        } else {
            config = .qwen25VLDefault
            log("no \(preprocessorPath); using the Qwen2.5-VL checkpoint defaults (min_pixels 3136, max_pixels 12845056)")
        }
        if let minPixels { config.minPixels = minPixels }
        if let maxPixels { config.maxPixels = maxPixels }

        let (weights, description) = try VisionWeights.load(modelDirectory: modelDir, weightsPath: weights)
        log(description)
        guard config.patchDimension == weights.config.patchInputSize,
              config.patchSize == weights.config.patchSize,
              config.temporalPatchSize == weights.config.temporalPatchSize else {
            throw EncodeError("preprocessor_config.json (patch \(config.patchSize), temporal \(config.temporalPatchSize)) "
                + "does not match config.json's vision_config (patch \(weights.config.patchSize), "
                + "temporal \(weights.config.temporalPatchSize))")
        }

        let (pre, timing) = try ImagePreprocessor(config: config).preprocess(encoded: [UInt8](data))
        let rows = pre.patchCount
        let gemmConfiguration = try gemm.resolve(weightsAreBFloat16: weights.isBFloat16)
        let embedding = try weights.patchEmbedding(gemm: gemmConfiguration)
        let t0 = ContinuousClock.now
        let embeds = try pre.pixelValues.withUnsafeBufferPointer { buffer in
            try embedding.embed(pixelValues: buffer, rows: rows, implementation: impl)
        }
        let d = ContinuousClock.now - t0
        let convMs = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15

        var writer = SafeTensorsWriter()
        writer.metadata = ["producer": "vlserve encode", "image": image, "conv_impl": convImpl.rawValue,
                           "dtype": gemmConfiguration.dtype.rawValue, "gemm_backend": gemmConfiguration.backend.rawValue,
                           "kernel": embedding.kernelName(impl, rows: rows),
                           "weights": description, "min_pixels": "\(config.minPixels)",
                           "max_pixels": "\(config.maxPixels)"]
        try writer.add("pixel_values", floats: pre.pixelValues, shape: [rows, pre.patchDimension])
        try writer.add("image_grid_thw", int64s: pre.gridTHW.map(Int64.init), shape: [1, 3])
        try writer.add("patch_embeds", floats: embeds, shape: [rows, embedding.hiddenSize])
        var towerSummary = ""
        if visionEncoder == .full {
            let towerWeights = VisionTowerWeights(weights)
            let options = operators.options(gemm: gemmConfiguration)
            log(towerWeights.summary + "; \(options)")
            let tower = try VisionTower(weights: towerWeights, options: options)
            let grid = GridTHW(t: pre.gridT, h: pre.gridH, w: pre.gridW)
            var timings = OperatorTimings()
            let imageEmbeds = try tower.encode(pixelValues: pre.pixelValues, grids: [grid], timings: &timings)
            try writer.add("image_embeds", floats: imageEmbeds,
                           shape: [tower.outputTokens(grids: [grid]), tower.config.outHiddenSize])
            writer.metadata["vision_encoder"] = "full"
            writer.metadata["vision_tower"] = options.description
            log(String(format: "vision tower %.1f ms: ", timings.totalSeconds * 1000)
                + timings.entries.map { String(format: "%@ (%@) %.1f", $0.operation.rawValue, $0.implementation,
                                               $0.seconds * 1000) }.joined(separator: ", "))
            towerSummary = ", image_embeds [\(tower.outputTokens(grids: [grid])), \(tower.config.outHiddenSize)]"
        }
        try writer.write(to: out)
        log(String(format: "preprocess %.1f ms (decode %.1f, resize %.1f, patchify %.1f), ",
                   timing.totalSeconds * 1000, timing.decodeSeconds * 1000, timing.resizeSeconds * 1000,
                   timing.patchifySeconds * 1000) + "patch embed (\(impl.rawValue)) " + String(format: "%.1f ms", convMs))
        print("wrote \(out): pixel_values [\(rows), \(pre.patchDimension)], image_grid_thw [[\(pre.gridT), "
            + "\(pre.gridH), \(pre.gridW)]], patch_embeds [\(rows), \(embedding.hiddenSize)]"
            + "\(towerSummary) (\(pre.tokenCount) image tokens)")
    }
}

/// A failure of `vlserve encode` with a message for people.
struct EncodeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
