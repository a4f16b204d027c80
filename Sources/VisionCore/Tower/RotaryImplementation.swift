/// `--vit-rotary`: how the 2D rotary embedding is applied to q and k.
public enum RotaryImplementation: String, CaseIterable, Sendable, Codable {
    /// transformers' form: cos/sin tables `[rows, head_dim]` (cached per grid list), then per head
    /// `q·cos + rotate_half(q)·sin` with `rotate_half` materialised, q and k in separate passes.
    case table
    /// Half-width cos/sin built once per forward, applied to q and k of every head in one pass over the
    /// qkv GEMM's output as pair rotations `(x₁c − x₂s, x₂c + x₁s)`; bit-identical to `table`.
    case fused
}
