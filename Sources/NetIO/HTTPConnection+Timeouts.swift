/// Deadlines and draining of an `HTTPConnection` (loop thread): the head deadline, body and
/// keep-alive idle timeouts, the write-stall timeout and the linger after an error response, all
/// from `ServerConfiguration`; checked by `LoopContext`'s periodic sweep.
extension HTTPConnection {
    /// Checks every deadline; called by the loop's periodic sweep.
    func checkTimeouts(now: UInt64) {
        guard !closed else { return }
        if lingering {
            if now &- lingerStart > config.lingerTimeout.nanoseconds { closeNow() }
            return
        }
        if outOffset < out.count && now &- lastWriteProgress > config.writeStallTimeout.nanoseconds {
            config.log?("closing connection \(fd): no write progress for \(config.writeStallTimeout)")
            closeNow()
            return
        }
        guard inFlight == nil, !closeAfterFlush else { return }
        switch parser.phase {
        case .idle:
            let limit = requestCount == 0 ? config.headTimeout : config.keepAliveIdleTimeout
            if now &- phaseStart > limit.nanoseconds { closeNow() }
        case .head:
            let start = requestCount == 0 ? acceptTime : phaseStart
            if now &- start > config.headTimeout.nanoseconds {
                sendErrorAndClose(.requestTimeout, reason: "request head not received within \(config.headTimeout)")
            }
        case .body:
            if now &- phaseStart > config.bodyTimeout.nanoseconds {
                sendErrorAndClose(.requestTimeout, reason: "request body not received within \(config.bodyTimeout)")
            } else if now &- lastRead > config.bodyIdleTimeout.nanoseconds {
                sendErrorAndClose(.requestTimeout, reason: "request body stalled for \(config.bodyIdleTimeout)")
            }
        }
    }

    /// Starts draining: idle connections close now, busy ones after their current response.
    func beginDrain() {
        guard !closed else { return }
        if inFlight == nil && outOffset >= out.count {
            closeNow()
        } else {
            currentKeepAlive = false
            if inFlight == nil { closeAfterFlush = true }
        }
    }
}
