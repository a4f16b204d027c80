/// `--gemm-backend`: `auto` is `openblas` for float32 (the baseline users compare against) and `onednn`
/// for bfloat16.
public enum GemmBackendChoice: String, CaseIterable, Sendable {
    case auto
    case openblas
    case onednn
}
