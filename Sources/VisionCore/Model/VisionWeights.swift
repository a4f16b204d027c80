import Foundation

/// The vision-tower weights VLServe uses, as Float32. Today that is the patch embedding
/// (`visual.patch_embed.proj.weight`, `[hidden, in_chans, kT, p, p]`); the opened checkpoint is kept so later
/// stages can read more tensors (`checkpoint?.floats("visual.blocks.0.norm1.weight")`).
public struct VisionWeights: Sendable {
    /// Where the weights came from.
    public enum Source: Sendable, Equatable {
        /// Read from a safetensors checkpoint at this path.
        case checkpoint(String)
        /// `SeededInit(seed:)`, see its documentation.
        case seeded(UInt64)
    }

    /// The checkpoint tensor name of the patch embedding weight (also found under `model.visual.`).
    public static let patchEmbedName = "visual.patch_embed.proj.weight"

    public let config: VisionConfig
    /// `[hidden, in_chans, kT, p, p]` row-major (= `[hidden, 1176]`).
    public let patchEmbed: [Float]
    public let source: Source
    /// The opened checkpoint (nil for seeded weights).
    public let checkpoint: SafeTensorsCheckpoint?

    /// Loads weights for `modelDirectory` (whose `config.json` gives the `VisionConfig`, all defaults if the file
    /// is absent). `weightsPath` is a safetensors file or checkpoint directory; when nil, `modelDirectory` itself
    /// is used if it contains safetensors files, else the weights are seeded (seed 0). Returns the weights and a
    /// one-line description for the log ("seeded ..." when seeded).
    public static func load(modelDirectory: String, weightsPath: String?) throws
        -> (weights: VisionWeights, description: String) {
        let configPath = (modelDirectory as NSString).appendingPathComponent("config.json")
        let config = FileManager.default.fileExists(atPath: configPath)
            ? try VisionConfig.load(modelDirectory: modelDirectory) : VisionConfig()
        let path = weightsPath ?? (SafeTensorsCheckpoint.exists(at: modelDirectory) ? modelDirectory : nil)
        guard let path else {
            let weights = seeded(config: config)
            return (weights, weights.summary)
        }
        let checkpoint = try SafeTensorsCheckpoint(path: path)
        let weights = try VisionWeights(config: config, checkpoint: checkpoint)
        return (weights, weights.summary)
    }

    /// Reads the patch embedding from `checkpoint` and checks its shape against `config`.
    public init(config: VisionConfig, checkpoint: SafeTensorsCheckpoint) throws {
        let expected = [config.hiddenSize, config.inChannels, config.temporalPatchSize, config.patchSize, config.patchSize]
        guard let info = checkpoint.info(Self.patchEmbedName) else {
            throw SafeTensorsError.missingTensor(name: "\(Self.patchEmbedName) (or model.\(Self.patchEmbedName))",
                                                 path: checkpoint.path)
        }
        guard info.shape == expected else {
            throw VisionWeightsError.shapeMismatch(name: Self.patchEmbedName, shape: info.shape, expected: expected)
        }
        self.config = config
        self.patchEmbed = try checkpoint.floats(Self.patchEmbedName)
        self.source = .checkpoint(checkpoint.path)
        self.checkpoint = checkpoint
    }

    /// Deterministic weights: the patch embedding is `SeededInit(seed:).kaimingUniform("visual.patch_embed.proj.weight",
    /// fanIn: 1176)` (uniform in ±1/sqrt(1176) ≈ ±0.02916).
    public static func seeded(config: VisionConfig, seed: UInt64 = 0) -> VisionWeights {
        let count = config.hiddenSize * config.patchInputSize
        let w = SeededInit(seed: seed).kaimingUniform(patchEmbedName, count: count, fanIn: config.patchInputSize)
        return VisionWeights(config: config, patchEmbed: w, source: .seeded(seed), checkpoint: nil)
    }

    private init(config: VisionConfig, patchEmbed: [Float], source: Source, checkpoint: SafeTensorsCheckpoint?) {
        self.config = config
        self.patchEmbed = patchEmbed
        self.source = source
        self.checkpoint = checkpoint
    }

    /// A one-line human description, e.g. "seeded vision weights (SplitMix64, seed 0; no checkpoint given)".
    public var summary: String {
        switch source {
        case .seeded(let seed):
            "seeded vision weights (SplitMix64 uniform ±1/sqrt(fan_in), seed \(seed); no checkpoint given, "
                + "outputs are not the real model's)"
        case .checkpoint(let path):
            "vision weights from \(path) (\(checkpoint?.info(Self.patchEmbedName)?.dtype.rawValue ?? "?") → F32)"
        }
    }

    /// True when the checkpoint stores the vision weights as BF16 (real Qwen2.5-VL checkpoints do); seeded
    /// weights count as float32. `--dtype auto` picks bfloat16 only then.
    public var isBFloat16: Bool {
        checkpoint?.info(Self.patchEmbedName)?.dtype == .bf16
    }

    /// The patch embedding built from these weights, its GEMMs on `gemm`.
    public func patchEmbedding(gemm: GemmConfiguration = .openblasFloat32) throws(Conv3dError) -> PatchEmbedding {
        try PatchEmbedding(config: config, weight: patchEmbed, gemm: gemm)
    }
}

/// A checkpoint tensor that does not fit the config.
public enum VisionWeightsError: Error, CustomStringConvertible, Sendable, Equatable {
    case shapeMismatch(name: String, shape: [Int], expected: [Int])

    public var description: String {
        switch self {
        case .shapeMismatch(let name, let shape, let expected):
            "checkpoint tensor \(name) has shape \(shape), but config.json implies \(expected)"
        }
    }
}
