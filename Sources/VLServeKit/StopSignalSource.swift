/// What tells a running server to stop.
public protocol StopSignalSource: Sendable {
    /// Blocks the calling thread until the server should stop; returns the signal number that asked for it.
    func waitForStop() -> Int32
}
