/// The backend and dtype every vision GEMM uses, resolved once at start-up from `--dtype` and
/// `--gemm-backend` (`resolve`), plus the number of threads the GEMM libraries may use.
public struct GemmConfiguration: Sendable, Equatable, CustomStringConvertible {
    public var backend: GemmBackend
    public var dtype: GemmDType

    public init(backend: GemmBackend = .openblas, dtype: GemmDType = .float32) {
        self.backend = backend
        self.dtype = dtype
    }

    /// OpenBLAS float32: the default, and what the project measured against before bf16 existed.
    public static let openblasFloat32 = GemmConfiguration()

    public var description: String { "\(backend.rawValue) \(dtype.rawValue)" }

    /// Resolves the flags. `weightsAreBFloat16`: the checkpoint stores the vision weights as BF16.
    /// Throws `GemmError.unsupported` with what to use instead for combinations that cannot run:
    /// bfloat16 on a CPU without native bfloat16, and bfloat16 on OpenBLAS.
    public static func resolve(dtype: DTypeChoice, backend: GemmBackendChoice, weightsAreBFloat16: Bool,
                               cpu: CPUFeatures = .current) throws(GemmError) -> GemmConfiguration {
        let resolvedDType: GemmDType
        switch dtype {
        case .float32: resolvedDType = .float32
        case .bfloat16:
            guard cpu.nativeBF16 else {
                let has = cpu.names.isEmpty ? "none of avx2/avx512" : cpu.names.joined(separator: " ")
                throw .unsupported("--dtype bfloat16 needs a CPU that runs bfloat16 natively (avx512_bf16 with "
                    + "avx512vl, or amx_bf16); this one has: \(has). Use --dtype float32 (or auto, which picks "
                    + "float32 here).")
            }
            resolvedDType = .bfloat16
        case .auto:
            resolvedDType = weightsAreBFloat16 && cpu.nativeBF16 ? .bfloat16 : .float32
        }
        let resolvedBackend: GemmBackend
        switch backend {
        case .openblas:
            guard resolvedDType == .float32 else {
                throw .unsupported("--gemm-backend openblas runs float32 only (Debian's OpenBLAS 0.3.21 has no "
                    + "bfloat16 GEMM); use --gemm-backend onednn (or auto) for --dtype bfloat16, or --dtype float32.")
            }
            resolvedBackend = .openblas
        case .onednn: resolvedBackend = .onednn
        case .auto: resolvedBackend = resolvedDType == .bfloat16 ? .onednn : .openblas
        }
        return GemmConfiguration(backend: resolvedBackend, dtype: resolvedDType)
    }
}
