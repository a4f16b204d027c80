/// The library a GEMM runs on.
public enum GemmBackend: String, CaseIterable, Sendable, Codable {
    /// OpenBLAS `cblas_sgemm` (float32 only: Debian's OpenBLAS 0.3.21 has no bfloat16 GEMM). The kernel it
    /// runs follows `OPENBLAS_CORETYPE` when set (`BLAS.coreName`).
    case openblas
    /// oneDNN's matmul primitive (Debian `libdnnl-dev` 2.6.3), float32 or bfloat16, weights reordered once
    /// into the layout the primitive prefers.
    case onednn
}
