import Foundation

/// Where the vision tower's parameters come from: a checkpoint as released (`visual.` or `model.visual.`
/// prefix, BF16/F16/F32, sharded or not; read as Float32), or `SeededInit.towerParameter` for every parameter.
/// Tensor names and shapes (spec qwen-vision.md §2.2, `I` = intermediate_size, `O` = out_hidden_size):
/// `visual.patch_embed.proj.weight [H, C, kT, p, p]`; per block `i`: `visual.blocks.i.norm1.weight [H]`,
/// `.attn.qkv.{weight [3H, H], bias [3H]}`, `.attn.proj.{weight [H, H], bias [H]}`, `.norm2.weight [H]`,
/// `.mlp.{gate,up}_proj.{weight [I, H], bias [I]}`, `.mlp.down_proj.{weight [H, I], bias [H]}`;
/// `visual.merger.ln_q.weight [H]`, `visual.merger.mlp.0.{weight [4H, 4H], bias [4H]}`,
/// `visual.merger.mlp.2.{weight [O, 4H], bias [O]}`.
public struct VisionTowerWeights: Sendable {
    public enum Source: Sendable {
        case checkpoint(SafeTensorsCheckpoint)
        /// `SeededInit(seed:).towerParameter`.
        case seeded(UInt64)
        /// Tensors already in memory, by `visual.` name (e.g. `materialized()`, so that several towers share
        /// one copy of the weights).
        case tensors([String: [Float]])
    }

    public let config: VisionConfig
    public let source: Source

    public init(config: VisionConfig, source: Source) {
        self.config = config
        self.source = source
    }

    /// Seeded weights for `config`.
    public static func seeded(config: VisionConfig, seed: UInt64 = 0) -> VisionTowerWeights {
        VisionTowerWeights(config: config, source: .seeded(seed))
    }

    /// The tower's weights for `VisionWeights.load`'s result: its checkpoint if it has one, else seeded with
    /// the same seed.
    public init(_ weights: VisionWeights) {
        config = weights.config
        switch weights.source {
        case .checkpoint: source = weights.checkpoint.map { .checkpoint($0) } ?? .seeded(0)
        case .seeded(let seed): source = .seeded(seed)
        }
    }

    /// The parameter `name` (with the `visual.` prefix) as Float32, checked against `shape`.
    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        switch source {
        case .seeded(let seed):
            return SeededInit(seed: seed).towerParameter(name, shape: shape)
        case .checkpoint(let checkpoint):
            guard let info = checkpoint.info(name) else {
                throw SafeTensorsError.missingTensor(name: "\(name) (or model.\(name))", path: checkpoint.path)
            }
            guard info.shape == shape else {
                throw VisionWeightsError.shapeMismatch(name: name, shape: info.shape, expected: shape)
            }
            return try checkpoint.floats(name)
        case .tensors(let tensors):
            guard let values = tensors[name] else { throw SafeTensorsError.missingTensor(name: name, path: "<memory>") }
            guard values.count == shape.reduce(1, *) else {
                throw VisionWeightsError.shapeMismatch(name: name, shape: [values.count], expected: shape)
            }
            return values
        }
    }

    /// Every parameter of the tower, `visual.` name → shape (spec §2.2).
    public var parameterShapes: [(name: String, shape: [Int])] {
        let c = config
        let h = c.hiddenSize, i = c.intermediateSize, u = c.spatialMergeSize * c.spatialMergeSize
        var shapes: [(String, [Int])] = [(VisionWeights.patchEmbedName,
                                          [h, c.inChannels, c.temporalPatchSize, c.patchSize, c.patchSize])]
        for b in 0..<c.depth {
            let p = "visual.blocks.\(b)."
            shapes += [(p + "norm1.weight", [h]), (p + "norm2.weight", [h]), (p + "attn.qkv.weight", [3 * h, h]),
                       (p + "attn.qkv.bias", [3 * h]), (p + "attn.proj.weight", [h, h]), (p + "attn.proj.bias", [h]),
                       (p + "mlp.gate_proj.weight", [i, h]), (p + "mlp.gate_proj.bias", [i]),
                       (p + "mlp.up_proj.weight", [i, h]), (p + "mlp.up_proj.bias", [i]),
                       (p + "mlp.down_proj.weight", [h, i]), (p + "mlp.down_proj.bias", [h])]
        }
        shapes += [("visual.merger.ln_q.weight", [h]), ("visual.merger.mlp.0.weight", [u * h, u * h]),
                   ("visual.merger.mlp.0.bias", [u * h]), ("visual.merger.mlp.2.weight", [c.outHiddenSize, u * h]),
                   ("visual.merger.mlp.2.bias", [c.outHiddenSize])]
        return shapes
    }

    /// These weights read once into memory (`.tensors`), so that several towers built from the result share
    /// the arrays (OpenBLAS keeps them as given).
    public func materialized() throws -> VisionTowerWeights {
        var tensors: [String: [Float]] = [:]
        for (name, shape) in parameterShapes { tensors[name] = try tensor(name, shape: shape) }
        return VisionTowerWeights(config: config, source: .tensors(tensors))
    }

    /// True when the checkpoint stores the tower as BF16 (`--dtype auto` then picks bfloat16 on a CPU with
    /// native bf16). Seeded weights are bf16-representable but count as float32 here.
    public var isBFloat16: Bool {
        if case .checkpoint(let c) = source { return c.info(VisionWeights.patchEmbedName)?.dtype == .bf16 }
        return false
    }

    /// One line for the log.
    public var summary: String {
        switch source {
        case .seeded(let seed):
            "seeded vision tower (SplitMix64: Linear ±1/sqrt(fan_in), biases ±\(SeededInit.towerBiasBound), norms "
                + "1±\(SeededInit.towerNormSpread), rounded to bf16; seed \(seed); not the real model's outputs)"
        case .checkpoint(let c):
            "vision tower from \(c.path)"
        case .tensors(let t):
            "vision tower from \(t.count) tensors in memory"
        }
    }
}
