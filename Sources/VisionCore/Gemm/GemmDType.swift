/// The number format of a GEMM's inputs. Accumulation and output are float32 in both.
public enum GemmDType: String, CaseIterable, Sendable, Codable {
    /// IEEE float32 throughout (`torch.float32`).
    case float32
    /// Weights and activations rounded to bfloat16 (round to nearest even), float32 accumulation and
    /// output: what torch's bf16 `F.linear` computes on CPU (oneDNN underneath).
    case bfloat16
}
