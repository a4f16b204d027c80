/// `--vit-attention`: how attention runs over each segment (window, or frame in full-attention blocks).
public enum AttentionImplementation: String, CaseIterable, Sendable, Codable {
    /// Per segment and head: the `[L, L]` score matrix materialised, softmax, then times V (scalar loops).
    case reference
    /// Tiled online softmax over K/V blocks of 16 keys, 4 query rows at a time, no score matrix
    /// (`vl_flash_attention`, AVX-512 / AVX2 / SSE2 chosen at run time).
    case flash
}
