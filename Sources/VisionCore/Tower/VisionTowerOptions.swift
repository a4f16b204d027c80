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
