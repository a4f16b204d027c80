import CKernels
import Foundation

/// `Qwen2_5_VLMLP` (spec §4.6): `down(silu(gate(x)) · up(x))`, all three Linear layers with bias, every GEMM
/// on the tower's GEMM configuration.
final class VisionMLP: Sendable {
    let implementation: MLPImplementation
    let hidden: Int
    let intermediate: Int
    /// reference: gate and up; fused: one `[2I, H]` Linear (gate rows first).
    let gate: Linear
    let up: Linear?
    let down: Linear

    init(prefix: String, weights: VisionTowerWeights, implementation: MLPImplementation, gemm: GemmConfiguration) throws {
        let h = weights.config.hiddenSize, i = weights.config.intermediateSize
        let gw = try weights.tensor(prefix + "gate_proj.weight", shape: [i, h])
        let gb = try weights.tensor(prefix + "gate_proj.bias", shape: [i])
        let uw = try weights.tensor(prefix + "up_proj.weight", shape: [i, h])
        let ub = try weights.tensor(prefix + "up_proj.bias", shape: [i])
        switch implementation {
        case .reference:
            gate = try Linear(weight: gw, bias: gb, outFeatures: i, inFeatures: h, configuration: gemm)
            up = try Linear(weight: uw, bias: ub, outFeatures: i, inFeatures: h, configuration: gemm)
        case .fused:
            gate = try Linear(weight: gw + uw, bias: gb + ub, outFeatures: 2 * i, inFeatures: h, configuration: gemm)
            up = nil
        }
        down = try Linear(weight: try weights.tensor(prefix + "down_proj.weight", shape: [h, i]),
                          bias: try weights.tensor(prefix + "down_proj.bias", shape: [h]),
                          outFeatures: h, inFeatures: i, configuration: gemm)
        self.implementation = implementation
        hidden = h
        intermediate = i
    }

    /// Floats of scratch `forward` needs for `rows` rows.
    func scratchCount(rows: Int) -> Int { rows * 3 * intermediate }

    /// FLOPs for `rows` rows (three GEMMs).
    func flops(rows: Int) -> Double { 6 * Double(rows) * Double(hidden) * Double(intermediate) }

    /// `out[rows, H] = mlp(x[rows, H])`.
    func forward(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, threads: Int) throws(GemmError) {
        let width = intermediate
        switch implementation {
        case .reference:
            let g = scratch, u = scratch + rows * width
            try gate.forward(x, rows: rows, into: g)
            try up!.forward(x, rows: rows, into: u)
            ParallelRows.run(rows, threads: threads) { range in
                for i in (range.lowerBound * width)..<(range.upperBound * width) { g[i] = g[i] / (1 + Foundation.exp(-g[i])) }
            }
            ParallelRows.run(rows, threads: threads) { range in
                for i in (range.lowerBound * width)..<(range.upperBound * width) { g[i] *= u[i] }
            }
            try down.forward(g, rows: rows, into: out)
        case .fused:
            _ = VisionAttention.selectedISA
            let gu = scratch, act = scratch + 2 * rows * width
            try gate.forward(x, rows: rows, into: gu)
            ParallelRows.run(rows, threads: threads) { range in
                vl_silu_mul(gu + range.lowerBound * 2 * width, act + range.lowerBound * width,
                            Int64(range.count), Int64(width))
            }
            try down.forward(act, rows: rows, into: out)
        }
    }
}
