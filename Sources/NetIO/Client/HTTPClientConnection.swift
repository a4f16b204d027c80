#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// One HTTP/1.1 client connection on an `EventLoop`: connect, send one request at a time, parse the
/// response with `HTTPResponseParser`, reuse when the server allows keep-alive. Loop-thread only.
final class HTTPClientConnection: IOEventHandler {
    enum State { case connecting, idle, sending, receiving, closed }

    let loop: EventLoop
    let address: ClientAddress
    private(set) var fd: Int32 = -1
    private(set) var state: State = .connecting
    private var parser = HTTPResponseParser()
    private var out: [UInt8] = []
    private var outPos = 0
    private var handler: HTTPClientResponseHandler?
    private var pendingRequest: [UInt8]?
    /// Called when the connection becomes idle (reusable) or closes; set by the pool.
    var onIdle: ((HTTPClientConnection) -> Void)?
    var onClose: ((HTTPClientConnection) -> Void)?
    var idleSinceNanos: UInt64 = 0
    /// Read buffer shared by every connection of one client (they all run on the same loop thread).
    private let readBuffer: ClientReadBuffer

    init(loop: EventLoop, address: ClientAddress, readBuffer: ClientReadBuffer) {
        self.loop = loop
        self.address = address
        self.readBuffer = readBuffer
    }

    /// Starts connecting; `request` is sent once connected.
    func open(sending request: [UInt8], handler: HTTPClientResponseHandler) {
        self.handler = handler
        pendingRequest = request
        do {
            let (s, connected) = try ClientSocket.connect(address)
            fd = s
            try loop.register(fd: fd, interest: connected ? .write : .write, handler: self)
            if connected { connectFinished() }
        } catch let e as HTTPClientError {
            fail(e)
        } catch {
            fail(.io(error as? SystemError ?? SystemError("register", errno: 0)))
        }
    }

    /// Sends `request` on this idle connection.
    func send(_ request: [UInt8], handler: HTTPClientResponseHandler) {
        precondition(state == .idle)
        self.handler = handler
        startSending(request)
    }

    private func connectFinished() {
        let err = ClientSocket.pendingError(fd)
        guard err == 0 else {
            fail(.connect(host: address.host, port: address.port, reason: String(cString: strerror(err))))
            return
        }
        if let r = pendingRequest {
            pendingRequest = nil
            startSending(r)
        }
    }

    private func startSending(_ request: [UInt8]) {
        state = .sending
        parser.reset()
        out = request
        outPos = 0
        flush()
    }

    private func flush() {
        while outPos < out.count {
            let n = out.withUnsafeBytes { p in
                Glibc.send(fd, p.baseAddress! + outPos, out.count - outPos, Sys.MSG_NOSIGNAL)
            }
            if n > 0 { outPos += n; continue }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                try? loop.modify(fd: fd, interest: [.read, .write])
                return
            }
            fail(.io(SystemError("send", errno: e)))
            return
        }
        out = []
        outPos = 0
        state = .receiving
        try? loop.modify(fd: fd, interest: .read)
        handler?.requestSent(atNanos: monotonicNanos())
    }

    func handleIO(_ events: IOEvents) {
        switch state {
        case .connecting:
            if events.contains(.writable) || events.contains(.error) || events.contains(.hangup) { connectFinished() }
        case .sending:
            if events.contains(.writable) { flush() }
            if state == .sending, events.contains(.readable) || events.contains(.hangup) || events.contains(.error) { readAvailable() }
        case .receiving:
            readAvailable()
        case .idle:
            // The server closed (or sent junk on) an idle keep-alive connection: drop it.
            close()
        case .closed:
            break
        }
    }

    private func readAvailable() {
        while state == .receiving || state == .sending {
            let n = recv(fd, readBuffer.pointer.baseAddress!, readBuffer.pointer.count, 0)
            if n > 0 {
                let now = monotonicNanos()
                do {
                    let evs = try parser.feed(UnsafeRawBufferPointer(rebasing: readBuffer.pointer[0..<n]))
                    deliver(evs, now)
                } catch {
                    fail(.invalidResponse(error))
                    return
                }
                if n < readBuffer.pointer.count { return }
                continue
            }
            if n == 0 {
                do {
                    let evs = try parser.finish()
                    deliver(evs, monotonicNanos())
                    if state != .closed { close() }
                } catch {
                    fail(.closedEarly(error.reason))
                }
                return
            }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return }
            fail(.io(SystemError("recv", errno: e)))
            return
        }
    }

    private func deliver(_ events: [HTTPResponseEvent], _ now: UInt64) {
        for ev in events {
            guard let h = handler else { return }
            switch ev {
            case .head(let head): h.head(head)
            case .body(let b): h.body(b, atNanos: now)
            case .end(let keepAlive):
                handler = nil
                h.end(atNanos: now)
                if keepAlive && state != .closed {
                    state = .idle
                    idleSinceNanos = now
                    onIdle?(self)
                } else {
                    close()
                }
                return
            }
        }
    }

    /// Fails the current request (if any) and closes.
    func fail(_ error: HTTPClientError) {
        let h = handler
        handler = nil
        close()
        h?.failed(error)
    }

    /// Closes the socket; a request in flight is failed with `.closedEarly`.
    func close() {
        guard state != .closed else { return }
        state = .closed
        if fd >= 0 {
            loop.deregister(fd: fd)
            Glibc.close(fd)
            fd = -1
        }
        if let h = handler {
            handler = nil
            h.failed(.closedEarly("connection closed"))
        }
        onClose?(self)
        onIdle = nil
        onClose = nil
    }
}

/// One 64 KiB receive buffer per client, reused by all its connections on the loop thread, so
/// thousands of idle streams do not each hold a buffer.
final class ClientReadBuffer {
    let pointer: UnsafeMutableRawBufferPointer
    init(size: Int = 64 << 10) { pointer = .allocate(byteCount: size, alignment: 16) }
    deinit { pointer.deallocate() }
}
