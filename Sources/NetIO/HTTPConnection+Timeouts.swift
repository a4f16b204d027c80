/// Deadlines and draining of an `HTTPConnection` (loop thread): the head deadline, body and
/// keep-alive idle timeouts, the write-stall timeout and the linger after an error response, all
/// from `ServerConfiguration` and decided by `ConnectionState.expired`; checked by `LoopContext`'s
/// periodic sweep.
extension HTTPConnection {
    /// Checks every deadline; called by the loop's periodic sweep.
    func checkTimeouts(now: UInt64) {
        let expiry = state.expired(now: now, parserPhase: parser.phase, outputPending: outputPending,
                                   responseInFlight: inFlight != nil, config: config)
        switch expiry {
        case nil:
            break
        case .close:
            closeNow()
        case .writeStalled:
            config.log?("closing connection \(fd): no write progress for \(config.writeStallTimeout)")
            closeNow()
        case .requestTimeout(let reason):
            sendErrorAndClose(.requestTimeout, reason: reason)
        }
    }

    /// Starts draining: idle connections close now, busy ones after their current response.
    func beginDrain() {
        if state.drain(responseInFlight: inFlight != nil, outputPending: outputPending) == .close { closeNow() }
    }
}
