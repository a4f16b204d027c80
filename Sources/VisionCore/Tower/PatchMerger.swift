import Foundation

/// `Qwen2_5_VLPatchMerger` (spec §4.7) after its `ln_q`: view `[rows/4, 4·H]`, `mlp.0` Linear 4H→4H, exact
/// erf GELU, `mlp.2` Linear 4H→out_hidden_size.
final class PatchMerger: Sendable {
    let lnQ: [Float]
    let fc1: Linear
    let fc2: Linear
    let unit: Int
    let inner: Int
    let outHidden: Int

    init(weights: VisionTowerWeights, gemm: GemmConfiguration) throws {
        let c = weights.config
        unit = c.spatialMergeSize * c.spatialMergeSize
        inner = c.hiddenSize * unit
        outHidden = c.outHiddenSize
        lnQ = try weights.tensor("visual.merger.ln_q.weight", shape: [c.hiddenSize])
        fc1 = try Linear(weight: try weights.tensor("visual.merger.mlp.0.weight", shape: [inner, inner]),
                         bias: try weights.tensor("visual.merger.mlp.0.bias", shape: [inner]),
                         outFeatures: inner, inFeatures: inner, configuration: gemm)
        fc2 = try Linear(weight: try weights.tensor("visual.merger.mlp.2.weight", shape: [outHidden, inner]),
                         bias: try weights.tensor("visual.merger.mlp.2.bias", shape: [outHidden]),
                         outFeatures: outHidden, inFeatures: inner, configuration: gemm)
    }

    /// FLOPs for `rows` ViT rows.
    func flops(rows: Int) -> Double {
        let merged = Double(rows / unit)
        return 2 * merged * Double(inner) * Double(inner + outHidden)
    }

    /// `normed [rows, H]` (ln_q already applied) → `[rows/4, out_hidden]` in the same (window) order.
    func forward(_ normed: UnsafePointer<Float>, rows: Int, threads: Int) throws(GemmError) -> [Float] {
        let merged = rows / unit
        let hiddenBuffer = FloatBuffer(merged * inner)
        try fc1.forward(normed, rows: merged, into: hiddenBuffer.pointer)
        let h = hiddenBuffer.pointer
        let inner = inner
        ParallelRows.run(merged, threads: threads) { range in
            for i in (range.lowerBound * inner)..<(range.upperBound * inner) {
                let x = h[i]
                h[i] = x * 0.5 * (1 + erf(x * Float(0.7071067811865476)))
            }
        }
        var out = [Float](repeating: 0, count: merged * outHidden)
        var failure: GemmError?
        out.withUnsafeMutableBufferPointer { o in
            do throws(GemmError) { try fc2.forward(h, rows: merged, into: o.baseAddress!) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }
}
