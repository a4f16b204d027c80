import HTTPCore

/// Why a client request failed. `description` is what vlbench reports as the request's error.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// Host name resolution failed.
    case resolve(host: String, reason: String)
    /// connect(2) failed (e.g. "Connection refused").
    case connect(host: String, port: Int, reason: String)
    /// A read or write on an open connection failed.
    case io(SystemError)
    /// The server closed the connection before the response was complete.
    case closedEarly(String)
    /// The response bytes are not valid HTTP/1.1.
    case invalidResponse(HTTPResponseParseError)
    /// The request did not finish within its timeout.
    case timeout(seconds: Double)
    /// The client was shut down while the request was pending.
    case shutdown
    /// The response handler asked to abort.
    case aborted(String)

    public var description: String {
        switch self {
        case let .resolve(h, r): return "Cannot resolve host \(h): \(r)"
        case let .connect(h, p, r): return "Cannot connect to host \(h):\(p): \(r)"
        case let .io(e): return "Connection error: \(e)"
        case let .closedEarly(s): return "Server disconnected: \(s)"
        case let .invalidResponse(e): return "\(e)"
        case let .timeout(s): return "Request timed out after \(s) s"
        case .shutdown: return "Client shut down"
        case let .aborted(s): return "Aborted: \(s)"
        }
    }
}
