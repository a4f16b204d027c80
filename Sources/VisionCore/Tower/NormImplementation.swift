/// `--vit-norm`: the residual add and the RMSNorm that follows it.
public enum NormImplementation: String, CaseIterable, Sendable, Codable {
    /// `x += delta` in one pass, then RMSNorm in two more (statistics, scale).
    case reference
    /// Add, statistics and scale in one pass over each row (the row stays in cache).
    case fused
}
