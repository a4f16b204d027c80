/// See `ServerConfiguration.peerEOFWhileResponding`.
public enum PeerEOFPolicy: Sendable, Equatable {
    /// Treat EOF as a half-close: finish the response, then close.
    case finishResponse
    /// Treat EOF as the client leaving: abort the response (`onClose` fires) and close.
    case abort
}
