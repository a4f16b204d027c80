#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// One accepted server connection: reads and parses requests, hands them to the handler one at a
/// time (pipelined requests wait, in order), writes responses with a bounded buffer, and enforces
/// the timeouts of `ServerConfiguration`. Lives on one loop thread. Its life (open, half-closed,
/// closing, lingering, closed) and deadlines are a `ConnectionState`; this class does the I/O.
final class HTTPConnection: IOEventHandler {
    let fd: Int32
    unowned let context: LoopContext
    var parser: HTTPRequestParser
    var config: ServerConfiguration { context.server.configuration }
    var state: ConnectionState

    // Output.
    var out: [UInt8] = []
    var outOffset = 0

    // The response in flight.
    var inFlight: HTTPResponder?
    var currentVersion = HTTPVersion.http1_1
    var currentIsHead = false
    var currentStreamChunked = true

    /// `processInput` is running (it continues with the next pipelined request itself; a response
    /// finished inside the handler call must not start another run).
    var processing = false
    /// A flush is queued for the end of this loop iteration (`scheduleFlush`).
    var flushScheduled = false
    var interest: IOInterest = .read

    init(fd: Int32, context: LoopContext, now: UInt64) {
        self.fd = fd
        self.context = context
        self.parser = HTTPRequestParser(limits: context.server.configuration.parserLimits)
        self.state = ConnectionState(acceptedAt: now)
    }

    var closed: Bool { state.isClosed }
    var outputPending: Bool { outOffset < out.count }

    // MARK: - Events

    func handleIO(_ events: IOEvents) {
        if events.contains(.error) || events.contains(.hangup) {
            // A pending socket error or both directions shut: nothing more can be delivered.
            closeNow()
            return
        }
        if events.contains(.writable) {
            flush()
            if closed { return }
        }
        if events.contains(.readable) || events.contains(.readHangup) {
            readAvailable()
        }
    }

    private func readAvailable() {
        let buffer = context.readBuffer
        let capacity = context.readBufferSize
        var reads = 0
        while !closed && reads < 4 {
            let n = retryingEINTR { Glibc.read(fd, buffer, capacity) }
            if n > 0 {
                reads += 1
                state.noteRead(now: monotonicNanos())
                if state.isLingering {
                    if state.discarded(n, limit: config.maxLingerBytes) == .close { closeNow() }
                    continue
                }
                parser.feed(UnsafeRawBufferPointer(start: buffer, count: n))
                if inFlight == nil { processInput() }
                else { updateInterest() }
                if n < capacity { break }
            } else if n == 0 {
                handleEOF()
                return
            } else {
                let e = errno
                if e == EAGAIN || e == EWOULDBLOCK { break }
                // ECONNRESET and friends: the peer is gone.
                closeNow()
                return
            }
        }
    }

    private func handleEOF() {
        perform(state.peerClosed(responseInFlight: inFlight != nil, outputPending: outputPending,
                                 policy: config.peerEOFWhileResponding))
    }

    /// Carries out what a `ConnectionState` transition asks for.
    private func perform(_ action: ConnectionState.Action) {
        switch action {
        case .none: break
        case .updateInterest: updateInterest()
        case .flush: flush()
        case .startLinger: startLinger()
        case .close: closeNow()
        }
    }

    /// Parses and dispatches requests until one is in flight or more bytes are needed.
    func processInput() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while inFlight == nil && state.takesRequests {
            let event: HTTPParserEvent?
            do {
                event = try parser.next()
            } catch {
                sendErrorAndClose(error.status, reason: error.reason)
                break
            }
            guard let event else {
                state.inputExhausted()
                break
            }
            switch event {
            case .head(let head):
                if head.expectsContinue && parser.phase == .body && parser.bufferedByteCount == 0 {
                    out.append(contentsOf: HTTPConnection.continueBytes)
                }
            case .request(let request):
                dispatch(request)
            }
        }
        notePhase()
        flush()
        if !closed { updateInterest() }
    }

    static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private func dispatch(_ request: HTTPRequest) {
        currentVersion = request.head.version
        currentIsHead = request.head.method == "HEAD"
        state.requestDispatched(requested: request.head.keepAlive, maxRequests: config.maxRequestsPerConnection,
                                draining: context.draining)
        let responder = HTTPResponder(connection: self, loop: context.loop)
        inFlight = responder
        context.server.handler.handle(request, responder: responder)
    }

    /// Tracks when the parser's phase changed, for the head/body/idle deadlines.
    private func notePhase() {
        state.notePhase(inFlight == nil ? parser.phase : .idle, now: monotonicNanos())
    }

    // MARK: - Responses (loop thread)

    func send(_ responder: HTTPResponder, status: Int, headers: [(String, String)], body: [UInt8]) {
        guard !closed, responder === inFlight, responder.state == .pending else { return }
        let noBody = status == 204 || status == 304
        writeHead(status: status, headers: headers, framing: noBody ? HTTPResponseFraming.none : .contentLength(body.count))
        if !noBody && !currentIsHead { out.append(contentsOf: body) }
        responder.state = .finished
        responseFinished()
    }

    func startStream(_ responder: HTTPResponder, status: Int, headers: [(String, String)]) {
        guard !closed, responder === inFlight, responder.state == .pending else { return }
        currentStreamChunked = currentVersion.minor >= 1
        if !currentStreamChunked { state.responseIsCloseDelimited() }
        writeHead(status: status, headers: headers, framing: currentStreamChunked ? .chunked : .closeDelimited)
        responder.state = .streaming
        if !processing { flush() }
        updateBuffered()
    }

    func write(_ responder: HTTPResponder, _ bytes: [UInt8]) {
        guard !closed, responder === inFlight, responder.state == .streaming, !bytes.isEmpty, !currentIsHead else { return }
        if currentStreamChunked {
            bytes.withUnsafeBytes { HTTPResponseWriter.writeChunk($0, into: &out) }
        } else {
            out.append(contentsOf: bytes)
        }
        if out.count - outOffset > config.maxWriteBufferSize {
            config.log?("closing connection \(fd): client is not reading (more than \(config.maxWriteBufferSize) bytes buffered)")
            closeNow()
            return
        }
        if !processing { scheduleFlush() }
        updateBuffered()
    }

    /// Flushes at the end of this loop iteration, so the chunks queued for this connection in one
    /// iteration (one engine step each) leave in one `send`.
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        context.loop.runAfterTasks { [self] in
            flushScheduled = false
            flush()
        }
    }

    func finish(_ responder: HTTPResponder) {
        guard !closed, responder === inFlight, responder.state == .streaming else { return }
        if currentStreamChunked && !currentIsHead { out.append(contentsOf: HTTPResponseWriter.lastChunk) }
        responder.state = .finished
        responseFinished()
    }

    private func writeHead(status: Int, headers: [(String, String)], framing: HTTPResponseFraming) {
        if out.isEmpty { out.reserveCapacity(512) }
        // 1xx are interim responses the transport sends itself (100 Continue); a handler cannot end a
        // request with one, so an out-of-range status becomes 500.
        guard (200...999).contains(status) else {
            config.log?("handler answered with status \(status); sending 500 instead")
            writeHead(status: 500, headers: headers, framing: framing)
            return
        }
        let statusValue = status == 200 ? HTTPStatus.ok : HTTPStatus(code: status)
        // RFC 9110 §2.5: answer with our own version (1.1) even to 1.0 clients; framing follows theirs.
        HTTPResponseWriter.writeStatusLine(version: .http1_1, status: statusValue, into: &out)
        for (name, value) in headers where !HTTPResponseWriter.isFramingField(name) {
            HTTPResponseWriter.writeField(name: name, value: value, into: &out)
        }
        HTTPResponseWriter.writeFraming(framing, version: currentVersion, keepAlive: state.keepAlive, into: &out)
        out.append(0x0D)
        out.append(0x0A)
    }

    private func responseFinished() {
        inFlight = nil
        if state.responseFinished(now: monotonicNanos()) == .flush {
            flush()
            return
        }
        if processing { return }  // the dispatch loop continues with the next pipelined request
        processInput()
    }

    private func updateBuffered() {
        inFlight?.updateBuffered(out.count - outOffset)
    }

    // MARK: - Errors and closing

    /// Answers a framing error or timeout (if no response has started) and closes gracefully.
    /// The body comes from the server's `HTTPErrorRenderer`.
    func sendErrorAndClose(_ status: HTTPStatus, reason: String) {
        if inFlight == nil || inFlight?.state == .pending {
            inFlight?.state = .finished
            inFlight = nil
            context.server.errorRenderer.writeResponse(status: status, message: reason, into: &out)
        }
        state.errorResponseQueued()
        flush()
    }

    /// Writes pending output; on completion closes or lingers if asked to.
    func flush() {
        guard !closed else { return }
        while outOffset < out.count {
            let n = out.withUnsafeBytes { p in
                retryingEINTR { Glibc.send(fd, p.baseAddress! + outOffset, p.count - outOffset, Sys.MSG_NOSIGNAL) }
            }
            if n > 0 {
                outOffset += n
                state.noteWriteProgress(now: monotonicNanos())
            } else {
                let e = errno
                if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                    updateInterest()
                    updateBuffered()
                    return
                }
                closeNow()   // EPIPE, ECONNRESET: the client is gone
                return
            }
        }
        // Keep a small output buffer per connection; give large ones back (thousands of idle streams).
        if out.capacity > 16 * 1024 { out = [] } else { out.removeAll(keepingCapacity: true) }
        outOffset = 0
        updateBuffered()
        perform(state.outputFlushed(unreadInput: parser.bufferedByteCount > 0, now: monotonicNanos()))
    }

    /// Half-closes and discards input for a while, so the client reads the response rather than a reset.
    private func startLinger() {
        _ = shutdown(fd, Int32(SHUT_WR))
        updateInterest()
    }

    func updateInterest() {
        guard !closed else { return }
        let wanted = state.interest(outputPending: outputPending, responseInFlight: inFlight != nil,
                                    readAheadFull: parser.bufferedByteCount >= config.maxReadAheadSize)
        if wanted != interest {
            interest = wanted
            do { try context.loop.modify(fd: fd, interest: wanted) } catch { closeNow() }
        }
    }

    /// Closes the socket now; an unfinished response is aborted (its `onClose` callbacks fire).
    func closeNow() {
        guard !closed else { return }
        state.markClosed()
        context.loop.deregister(fd: fd)
        Glibc.close(fd)
        let responder = inFlight
        inFlight = nil
        context.connectionClosed(self)
        responder?.connectionClosed()
    }
}
