/// What went wrong preparing or running a GEMM.
public enum GemmError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The requested dtype/backend cannot run here; the message says why and what to use instead.
    case unsupported(String)
    /// Operand sizes do not match the prepared weights, or exceed what the library indexes.
    case shape(String)
    /// A oneDNN call failed: the call and its `dnnl_status_t`.
    case onednn(call: String, status: Int)

    public var description: String {
        switch self {
        case .unsupported(let m): m
        case .shape(let m): "GEMM shape error: \(m)"
        case .onednn(let call, let status): "oneDNN \(call) failed (dnnl_status_t \(status))"
        }
    }
}
