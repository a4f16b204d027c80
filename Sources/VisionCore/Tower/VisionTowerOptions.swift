/// `--vit-attention`: how attention runs over each segment (window, or frame in full-attention blocks).
public enum AttentionImplementation: String, CaseIterable, Sendable, Codable {
    /// Per segment and head: the `[L, L]` score matrix materialised, softmax, then times V (scalar loops).
    case reference
    /// Tiled online softmax over K/V blocks of 16 keys, 4 query rows at a time, no score matrix
    /// (`vl_flash_attention`, AVX-512 / AVX2 / SSE2 chosen at run time).
    case flash
}

/// `--vit-rotary`: how the 2D rotary embedding is applied to q and k.
public enum RotaryImplementation: String, CaseIterable, Sendable, Codable {
    /// transformers' form: cos/sin tables `[rows, head_dim]` (cached per grid list), then per head
    /// `q·cos + rotate_half(q)·sin` with `rotate_half` materialised, q and k in separate passes.
    case table
    /// Half-width cos/sin built once per forward, applied to q and k of every head in one pass over the
    /// qkv GEMM's output as pair rotations `(x₁c − x₂s, x₂c + x₁s)`; bit-identical to `table`.
    case fused
}

/// `--vit-norm`: the residual add and the RMSNorm that follows it.
public enum NormImplementation: String, CaseIterable, Sendable, Codable {
    /// `x += delta` in one pass, then RMSNorm in two more (statistics, scale).
    case reference
    /// Add, statistics and scale in one pass over each row (the row stays in cache).
    case fused
}

/// `--vit-mlp`: the SwiGLU MLP `down(silu(gate(x)) · up(x))`.
public enum MLPImplementation: String, CaseIterable, Sendable, Codable {
    /// Three GEMMs, SiLU in place on gate's output, then a separate multiply by up's output (libm `exp`).
    case reference
    /// gate and up as one GEMM on concatenated weights (gate first, as vLLM's `gate_up_proj`), SiLU·mul in
    /// one vectorised pass over its output (`vl_silu_mul`), then down.
    case fused
}

/// The vision tower's operator choices and GEMM configuration. Defaults: the fast implementations on
/// OpenBLAS float32.
public struct VisionTowerOptions: Sendable, Equatable, CustomStringConvertible {
    public var attention: AttentionImplementation
    public var rotary: RotaryImplementation
    public var norm: NormImplementation
    public var mlp: MLPImplementation
    /// Backend and dtype of every GEMM (patch embedding, qkv, proj, MLP, merger).
    public var gemm: GemmConfiguration
    /// Threads of the non-GEMM operators (attention, norms, rotary, activations); nil: `VisionThreads.count`.
    public var threads: Int?

    public init(attention: AttentionImplementation = .flash, rotary: RotaryImplementation = .fused,
                norm: NormImplementation = .fused, mlp: MLPImplementation = .fused,
                gemm: GemmConfiguration = .openblasFloat32, threads: Int? = nil) {
        self.attention = attention
        self.rotary = rotary
        self.norm = norm
        self.mlp = mlp
        self.gemm = gemm
        self.threads = threads
    }

    /// Every operator's naive reference, on `gemm`.
    public static func reference(gemm: GemmConfiguration = .openblasFloat32) -> VisionTowerOptions {
        VisionTowerOptions(attention: .reference, rotary: .table, norm: .reference, mlp: .reference, gemm: gemm)
    }

    /// The thread count the operators use.
    public var resolvedThreads: Int { max(1, threads ?? VisionThreads.count) }

    /// `attention=flash rotary=fused norm=fused mlp=fused gemm=openblas float32`.
    public var description: String {
        "attention=\(attention.rawValue) rotary=\(rotary.rawValue) norm=\(norm.rawValue) mlp=\(mlp.rawValue) "
            + "gemm=\(gemm.backend.rawValue) \(gemm.dtype.rawValue)"
    }
}
