/// One `Qwen2_5_VLVisionBlock` (spec §4.1 step 7): `x += proj(attn(rotary(qkv(norm1(x)))))`, then
/// `x += mlp(norm2(x))`. The norms are applied by `VisionTower` so that each residual add can be
/// fused with the norm after it.
final class VisionBlock: Sendable {
    let index: Int
    /// True in `fullatt_block_indexes`: attention over each frame instead of each window.
    let fullAttention: Bool
    let norm1: [Float]
    let norm2: [Float]
    let qkv: Linear
    let proj: Linear
    let mlp: VisionMLP

    init(index: Int, weights: VisionTowerWeights, options: VisionTowerOptions) throws {
        let c = weights.config
        let h = c.hiddenSize
        let prefix = "visual.blocks.\(index)."
        self.index = index
        fullAttention = c.fullattBlockIndexes.contains(index)
        norm1 = try weights.tensor(prefix + "norm1.weight", shape: [h])
        norm2 = try weights.tensor(prefix + "norm2.weight", shape: [h])
        qkv = try Linear(weight: try weights.tensor(prefix + "attn.qkv.weight", shape: [3 * h, h]),
                         bias: try weights.tensor(prefix + "attn.qkv.bias", shape: [3 * h]),
                         outFeatures: 3 * h, inFeatures: h, configuration: options.gemm)
        proj = try Linear(weight: try weights.tensor(prefix + "attn.proj.weight", shape: [h, h]),
                          bias: try weights.tensor(prefix + "attn.proj.bias", shape: [h]),
                          outFeatures: h, inFeatures: h, configuration: options.gemm)
        mlp = try VisionMLP(prefix: prefix + "mlp.", weights: weights, implementation: options.mlp, gemm: options.gemm)
    }
}
