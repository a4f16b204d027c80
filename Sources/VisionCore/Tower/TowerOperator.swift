/// The operators of the vision tower, as timed by `OperatorTimings`.
public enum TowerOperator: String, CaseIterable, Sendable, Codable {
    /// Conv3d patch embedding (one GEMM).
    case patchEmbed = "patch_embed"
    /// Window index, segments, rotary angles and the reorder of the rows into window order.
    case layout
    /// RMSNorm with its residual add (norm1, norm2, ln_q).
    case norm
    /// The qkv GEMM (with bias).
    case qkv
    /// The 2D rotary embedding on q and k.
    case rotary
    /// Attention over windows / frames.
    case attention
    /// The attention output projection (with bias).
    case proj
    /// The SwiGLU MLP (its GEMMs and activation).
    case mlp
    /// The PatchMerger's two GEMMs and GELU (its ln_q counts as `norm`), and the inverse window order.
    case merger
}
