import ArgumentParser
import NetIO

/// `--client-eof`: what the server does when a client closes its sending side while its response is pending.
enum ClientEOF: String, CaseIterable, ExpressibleByArgument {
    /// Cancel the request, as vLLM does.
    case abort
    /// Treat it as a half-close and still answer.
    case finish

    var policy: PeerEOFPolicy {
        switch self {
        case .abort: .abort
        case .finish: .finishResponse
        }
    }
}
