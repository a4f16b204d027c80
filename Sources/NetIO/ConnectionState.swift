import HTTPCore

/// The state of one server connection (`HTTPConnection`) as a value with no I/O: where it is in its
/// life, how many requests it has taken, whether the response in flight keeps it open, and the
/// times its deadlines run from. Each transition
/// returns what the connection must do next, so the rules (keep-alive, half-close, graceful close
/// with linger, draining, timeouts) are tested with literal inputs (`ConnectionStateTests`).
/// Times are monotonic nanoseconds (`monotonicNanos()`).
struct ConnectionState: Equatable {
    /// Where the connection is in its life. It only moves down this list (`open` may skip
    /// `halfClosed`, `closing` may skip `lingering`).
    enum Lifecycle: Equatable {
        /// Reading requests and answering them one at a time, in order (keep-alive, pipelining).
        case open
        /// The peer shut its write side (read EOF) while a response was in flight. Requests already
        /// received are still answered (http-hardening.md §2.12); nothing more is read; the
        /// connection closes when none is left.
        case halfClosed
        /// No further request is taken: the buffered output is written, then the connection ends as `then` says.
        case closing(then: Ending)
        /// The write side is shut after the last response; input is read and discarded (since
        /// `since`, `discarded` bytes so far) so the client reads the response rather than a reset.
        case lingering(since: UInt64, discarded: Int)
        /// The socket is closed.
        case closed
    }

    /// How a `closing` connection ends once its output is written.
    enum Ending: Equatable {
        /// Close (the peer already closed its side: there is nothing to linger for).
        case close
        /// Linger if unread request bytes are buffered (closing then would send a reset that can
        /// destroy the response in flight), else close.
        case lingerIfUnread
        /// Linger (after an error response: the client may still be sending the rejected request).
        case linger
    }

    /// What the connection does after a transition.
    enum Action: Equatable {
        /// Nothing more.
        case none
        /// Recompute the epoll interest (`interest(outputPending:responseInFlight:readAheadFull:)`).
        case updateInterest
        /// Write out the buffered output (and, once it is written, end as the state says).
        case flush
        /// Shut the write side (`shutdown(SHUT_WR)`) and watch for input to discard.
        case startLinger
        /// Close the socket now (an unfinished response is aborted).
        case close
    }

    /// A deadline that has passed (`expired(now:...)`).
    enum Expiry: Equatable {
        /// Close silently: an idle connection, or a linger that ran out.
        case close
        /// Close: the client has not taken any output for `writeStallTimeout`.
        case writeStalled
        /// Answer `408 Request Timeout` with this reason, then close.
        case requestTimeout(String)
    }

    private(set) var lifecycle: Lifecycle = .open
    /// Requests handed to the handler so far.
    private(set) var requestCount = 0
    /// Whether the response in flight leaves the connection open for the next request: decided when
    /// its request is dispatched, dropped by a close-delimited stream, an error response or a drain.
    private(set) var keepAlive = true
    /// When the connection was accepted: the first request's head deadline runs from here.
    let acceptedAt: UInt64
    /// The request-reading phase seen last (`idle` while a response is in flight).
    private(set) var phase: HTTPRequestParser.Phase = .idle
    /// When `phase` began (the keep-alive idle time, a later request's head, a body).
    private(set) var phaseStart: UInt64
    /// The last read that returned bytes (the body idle gap).
    private(set) var lastRead: UInt64
    /// The last `send` that took bytes (the write-stall timeout).
    private(set) var lastWriteProgress: UInt64 = 0

    init(acceptedAt: UInt64) {
        self.acceptedAt = acceptedAt
        phaseStart = acceptedAt
        lastRead = acceptedAt
    }

    var isClosed: Bool { lifecycle == .closed }

    var isLingering: Bool {
        if case .lingering = lifecycle { return true }
        return false
    }

    /// Whether requests are still parsed and dispatched (`open` or `halfClosed`).
    var takesRequests: Bool { lifecycle == .open || lifecycle == .halfClosed }

    /// How the connection ends when it closes without an error: no linger once the peer has closed.
    private var plainEnding: Ending { lifecycle == .halfClosed ? .close : .lingerIfUnread }

    // MARK: - Reading

    /// A read returned bytes.
    mutating func noteRead(now: UInt64) {
        lastRead = now
    }

    /// `n` bytes were read and discarded while lingering; past `limit` in all the connection closes.
    mutating func discarded(_ n: Int, limit: Int) -> Action {
        guard case .lingering(let since, let total) = lifecycle else { return .none }
        lifecycle = .lingering(since: since, discarded: total + n)
        return total + n > limit ? .close : .none
    }

    /// A read returned EOF: the peer shut its write side (or left; TCP cannot tell until a write fails).
    mutating func peerClosed(responseInFlight: Bool, outputPending: Bool, policy: PeerEOFPolicy) -> Action {
        switch lifecycle {
        case .closed: return .none
        case .lingering: return .close
        case .closing: lifecycle = .closing(then: .close)
        case .open, .halfClosed: lifecycle = .halfClosed
        }
        if responseInFlight {
            // Half-close after a complete request: still answer, then close (unless the policy says abort).
            return policy == .abort ? .close : .updateInterest
        }
        // No response in flight: any complete pipelined request was already dispatched, so what is
        // left is an incomplete message (close, send nothing) or nothing.
        guard outputPending else { return .close }
        lifecycle = .closing(then: .close)
        return .updateInterest
    }

    /// The parser needs more bytes and no response is in flight: a half-closed connection has no more to come.
    mutating func inputExhausted() {
        if lifecycle == .halfClosed { lifecycle = .closing(then: .close) }
    }

    /// The request-reading phase is now `phase` (pass `.idle` while a response is in flight).
    /// `now` is evaluated only when the phase changes.
    mutating func notePhase(_ phase: HTTPRequestParser.Phase, now: @autoclosure () -> UInt64) {
        guard phase != self.phase else { return }
        // The first request's head deadline runs from accept (http-hardening.md §2.1).
        if !(phase == .head && requestCount == 0) { phaseStart = now() }
        self.phase = phase
    }

    // MARK: - Responses

    /// A request goes to the handler. Its response keeps the connection open (`keepAlive`, also
    /// returned) if the client asked for it (`requested`), this is not request number `maxRequests`
    /// (or later), the server is not draining, and the peer has not closed its side.
    @discardableResult
    mutating func requestDispatched(requested: Bool, maxRequests: Int, draining: Bool) -> Bool {
        requestCount += 1
        keepAlive = requested && requestCount < maxRequests && !draining && lifecycle == .open
        return keepAlive
    }

    /// The response in flight is close-delimited (a stream to an HTTP/1.0 client): its end is the connection's.
    mutating func responseIsCloseDelimited() {
        keepAlive = false
    }

    /// The response in flight finished (its last byte is buffered). With `keepAlive` the next
    /// request is read (`.none`); without it the connection closes once the output is written (`.flush`).
    mutating func responseFinished(now: UInt64) -> Action {
        phaseStart = now
        phase = .idle
        guard !keepAlive else { return .none }
        if takesRequests { lifecycle = .closing(then: plainEnding) }
        return .flush
    }

    /// An error response (framing error, timeout) was buffered, or a response could not be: the
    /// connection closes after the output, lingering unless the peer has already closed.
    mutating func errorResponseQueued() {
        keepAlive = false
        switch lifecycle {
        case .open, .closing(then: .lingerIfUnread): lifecycle = .closing(then: .linger)
        case .halfClosed: lifecycle = .closing(then: .close)
        case .closing, .lingering, .closed: break
        }
    }

    /// The server is shutting down: an idle or lingering connection closes now (`.close`); one with
    /// a response in flight or output pending closes after it (the response loses its keep-alive).
    mutating func drain(responseInFlight: Bool, outputPending: Bool) -> Action {
        switch lifecycle {
        case .closed: return .none
        case .lingering: return .close
        case .open, .halfClosed, .closing: break
        }
        guard responseInFlight || outputPending else { return .close }
        keepAlive = false
        if !responseInFlight && takesRequests { lifecycle = .closing(then: plainEnding) }
        return .none
    }

    // MARK: - Writing

    /// A `send` took bytes.
    mutating func noteWriteProgress(now: UInt64) {
        lastWriteProgress = now
    }

    /// All buffered output has been written. A closing connection now lingers (`.startLinger`,
    /// from `now`, which is evaluated only then) or closes (`.close`); any other recomputes its interest.
    mutating func outputFlushed(unreadInput: Bool, now: @autoclosure () -> UInt64) -> Action {
        guard case .closing(let ending) = lifecycle else { return .updateInterest }
        if ending == .linger || (ending == .lingerIfUnread && unreadInput) {
            lifecycle = .lingering(since: now(), discarded: 0)
            return .startLinger
        }
        return .close
    }

    /// The socket was closed.
    mutating func markClosed() {
        lifecycle = .closed
    }

    // MARK: - Interest and deadlines

    /// The epoll interest: writable while output is pending; readable while requests are taken,
    /// except that with a response in flight reading stops once `maxReadAheadSize` bytes of
    /// pipelined input are buffered (`readAheadFull`, back-pressure); readable only while lingering.
    func interest(outputPending: Bool, responseInFlight: Bool, readAheadFull: Bool) -> IOInterest {
        switch lifecycle {
        case .closed: return []
        case .lingering: return .read
        case .halfClosed, .closing: return outputPending ? .write : []
        case .open:
            var wanted: IOInterest = outputPending ? .write : []
            if !responseInFlight || !readAheadFull { wanted.insert(.read) }
            return wanted
        }
    }

    /// The first deadline of `config` that has passed at `now`, if any: the linger time; the write
    /// stall (while output is pending); and, with no response in flight, the idle time before a
    /// request (`headTimeout` before the first, `keepAliveIdleTimeout` after), the head deadline
    /// (from accept for the first request, else from its first byte) and the body deadlines.
    func expired(now: UInt64, parserPhase: HTTPRequestParser.Phase, outputPending: Bool, responseInFlight: Bool,
                 config: ServerConfiguration) -> Expiry? {
        switch lifecycle {
        case .closed:
            return nil
        case .lingering(let since, _):
            return now &- since > config.lingerTimeout.nanoseconds ? .close : nil
        case .open, .halfClosed, .closing:
            break
        }
        if outputPending && now &- lastWriteProgress > config.writeStallTimeout.nanoseconds { return .writeStalled }
        guard !responseInFlight, takesRequests else { return nil }
        switch parserPhase {
        case .idle:
            let limit = requestCount == 0 ? config.headTimeout : config.keepAliveIdleTimeout
            return now &- phaseStart > limit.nanoseconds ? .close : nil
        case .head:
            let start = requestCount == 0 ? acceptedAt : phaseStart
            guard now &- start > config.headTimeout.nanoseconds else { return nil }
            return .requestTimeout("request head not received within \(config.headTimeout)")
        case .body:
            if now &- phaseStart > config.bodyTimeout.nanoseconds {
                return .requestTimeout("request body not received within \(config.bodyTimeout)")
            }
            if now &- lastRead > config.bodyIdleTimeout.nanoseconds {
                return .requestTimeout("request body stalled for \(config.bodyIdleTimeout)")
            }
            return nil
        }
    }
}
