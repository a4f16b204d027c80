/// What went wrong in a `Conv3d` or `PatchEmbedding` call.
public enum Conv3dError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The geometry itself is invalid (non-positive kernel, stride or channels, negative padding).
    case invalidGeometry(String)
    /// The weight or bias has the wrong number of elements.
    case weightShape(String)
    /// The input's element count or extents do not fit the geometry.
    case inputShape(String)
    /// `.gemm` was requested for a shape it cannot do without a copy; use `.im2col` or `.auto`.
    case gemmNotApplicable(reason: String)
    /// The GEMM or convolution library failed or cannot run the requested dtype.
    case backend(String)
    /// `.folded` was asked of a general `Conv3d`, or of rows whose temporal frames differ.
    case foldedNotApplicable(reason: String)

    public var description: String {
        switch self {
        case .invalidGeometry(let m): "invalid Conv3d geometry: \(m)"
        case .weightShape(let m): "Conv3d weight shape mismatch: \(m)"
        case .inputShape(let m): "Conv3d input shape mismatch: \(m)"
        case .gemmNotApplicable(let r):
            "the zero-copy 'gemm' Conv3d implementation does not apply: \(r); use 'im2col' or 'auto'"
        case .backend(let m): "Conv3d backend error: \(m)"
        case .foldedNotApplicable(let r): "the 'folded' patch embedding does not apply: \(r); use 'gemm' or 'auto'"
        }
    }
}
