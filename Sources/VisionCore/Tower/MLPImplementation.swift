/// `--vit-mlp`: the SwiGLU MLP `down(silu(gate(x)) · up(x))`.
public enum MLPImplementation: String, CaseIterable, Sendable, Codable {
    /// Three GEMMs, SiLU in place on gate's output, then a separate multiply by up's output (libm `exp`).
    case reference
    /// gate and up as one GEMM on concatenated weights (gate first, as vLLM's `gate_up_proj`), SiLU·mul in
    /// one vectorised pass over its output (`vl_silu_mul`), then down.
    case fused
}
