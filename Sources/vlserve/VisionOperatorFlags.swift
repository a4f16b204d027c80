import ArgumentParser
import VisionCore

/// The vision tower's operator flags (`--vit-attention`, `--vit-rotary`, `--vit-norm`, `--vit-mlp`), one option
/// group shared by `encode`, `bench-vit` (and later `serve`). Defaults are the fast implementations.
struct VisionOperatorFlags: ParsableArguments {
    @Option(name: .customLong("vit-attention"),
            help: "Vision attention: reference (score matrix, softmax, x V) or flash (online softmax, no score matrix).")
    var attention: AttentionImplementation = .flash

    @Option(name: .customLong("vit-rotary"),
            help: "2D rotary: table (cos/sin [rows, head_dim] cached per grid, transformers' form) or fused (one pass after the qkv GEMM).")
    var rotary: RotaryImplementation = .fused

    @Option(name: .customLong("vit-norm"),
            help: "Residual add + RMSNorm: reference (separate passes) or fused (one pass per row).")
    var norm: NormImplementation = .fused

    @Option(name: .customLong("vit-mlp"),
            help: "SwiGLU MLP: reference (three GEMMs, separate SiLU and multiply) or fused (gate+up as one GEMM, SiLU*mul in one pass).")
    var mlp: MLPImplementation = .fused

    /// The tower options for these flags on `gemm`.
    func options(gemm: GemmConfiguration) -> VisionTowerOptions {
        VisionTowerOptions(attention: attention, rotary: rotary, norm: norm, mlp: mlp, gemm: gemm)
    }
}

extension AttentionImplementation: ExpressibleByArgument {}
extension RotaryImplementation: ExpressibleByArgument {}
extension NormImplementation: ExpressibleByArgument {}
extension MLPImplementation: ExpressibleByArgument {}
