/// Why `Engine.submit` refused a request.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The waiting queue holds `limit` requests already (`--max-waiting-requests`); retry later (HTTP 503).
    case queueFull(limit: Int)
    /// The engine is shutting down or stopped.
    case shuttingDown

    public var description: String {
        switch self {
        case .queueFull(let limit):
            "The server is overloaded: \(limit) requests are already waiting. Retry later."
        case .shuttingDown:
            "The server is shutting down."
        }
    }
}
