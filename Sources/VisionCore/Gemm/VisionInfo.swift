/// What the vision kernels run on, for logs, `/metrics` and benchmark reports.
public enum VisionInfo {
    /// The oneDNN version loaded, e.g. `2.6.3`.
    public static var onednnVersion: String { OneDNNMatmul.version }

    /// One line: `CPU <model> [avx2 fma ...]; OpenBLAS core Haswell; oneDNN 2.6.3`.
    public static var summary: String {
        "CPU \(CPUFeatures.modelName) [\(CPUFeatures.current.names.joined(separator: " "))]; "
            + "OpenBLAS core \(BLAS.coreName); oneDNN \(onednnVersion)"
    }
}
