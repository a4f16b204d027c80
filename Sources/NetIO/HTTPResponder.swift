import HTTPCore
import Synchronization

/// Answers one request. Every method is thread-safe: off the loop thread it hops to the
/// connection's loop, so calls from one thread apply in order.
///
/// Use either `send` (whole response, `Content-Length`) or `startStream` + `write`* + `finish`
/// (chunked on HTTP/1.1; close-delimited on HTTP/1.0). Each `write` is flushed to the socket at
/// the end of the loop iteration that takes it (SSE events leave as they are produced; the writes
/// one iteration takes for a connection leave together, in order, in one `send`). Calls after the response has finished or the
/// connection has closed are ignored. Framing fields (`Content-Length`, `Transfer-Encoding`,
/// `Connection`) in `headers` are replaced by the transport's own; fields with invalid names or
/// values (CR, LF, NUL) are dropped.
public final class HTTPResponder: @unchecked Sendable {
    enum State { case pending, streaming, finished }

    let connection: HTTPConnection
    let loop: EventLoop
    /// Loop-thread only.
    var state: State = .pending
    private let closed = Atomic<Bool>(false)
    private let buffered = Atomic<Int>(0)
    private let callbackLock = Lock()
    private var closeCallbacks: [@Sendable () -> Void] = []
    private var aborted = false

    init(connection: HTTPConnection, loop: EventLoop) {
        self.connection = connection
        self.loop = loop
    }

    /// The event loop of this response's connection. Calls made on it reach the connection directly;
    /// a producer that hops here first (`eventLoop.execute`) pays one hop for many writes.
    public var eventLoop: EventLoop { loop }

    /// Sends a whole response with `Content-Length: body.count` (no body for HEAD, 204, 304).
    /// `status` is 200...999 (anything else is sent as 500; `100 Continue` is the transport's job).
    public func send(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        if loop.inEventLoop {
            connection.send(self, status: status, headers: headers, body: body)
        } else {
            loop.execute { self.connection.send(self, status: status, headers: headers, body: body) }
        }
    }

    /// Sends the head of a streamed response: chunked for HTTP/1.1, close-delimited for HTTP/1.0.
    public func startStream(status: Int, headers: [(String, String)] = []) {
        if loop.inEventLoop {
            connection.startStream(self, status: status, headers: headers)
        } else {
            loop.execute { self.connection.startStream(self, status: status, headers: headers) }
        }
    }

    /// Writes and flushes one piece of a streamed response (one chunk on HTTP/1.1). Empty writes are ignored.
    public func write(_ bytes: [UInt8]) {
        if loop.inEventLoop {
            connection.write(self, bytes)
        } else {
            loop.execute { self.connection.write(self, bytes) }
        }
    }

    /// Ends a streamed response (last chunk on HTTP/1.1, connection close on HTTP/1.0).
    public func finish() {
        if loop.inEventLoop {
            connection.finish(self)
        } else {
            loop.execute { self.connection.finish(self) }
        }
    }

    /// Registers `callback` to run once if the connection closes before this response finished
    /// (client went away, write stall, buffer cap, shutdown timeout). Runs at once (on the caller's
    /// thread) if that has already happened; never runs if the response finished normally.
    /// Otherwise it runs on the loop thread: keep it short (set a flag).
    public func onClose(_ callback: @escaping @Sendable () -> Void) {
        callbackLock.lock()
        if aborted {
            callbackLock.unlock()
            callback()
            return
        }
        closeCallbacks.append(callback)
        callbackLock.unlock()
    }

    /// True once the connection closed before this response finished (the event `onClose` reports):
    /// producers stop when they see it. Stays false for a response that finished normally.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Response bytes accepted but not yet taken by the socket (back-pressure signal).
    public var bufferedBytes: Int { buffered.load(ordering: .relaxed) }

    // MARK: - Loop side

    func updateBuffered(_ n: Int) {
        buffered.store(n, ordering: .relaxed)
    }

    /// Called on the loop when the connection closes. Fires the callbacks if the response was unfinished.
    func connectionClosed() {
        closed.store(true, ordering: .releasing)
        guard state != .finished else {
            callbackLock.withLock { closeCallbacks.removeAll() }
            return
        }
        callbackLock.lock()
        aborted = true
        let callbacks = closeCallbacks
        closeCallbacks.removeAll()
        callbackLock.unlock()
        for callback in callbacks { callback() }
    }
}
