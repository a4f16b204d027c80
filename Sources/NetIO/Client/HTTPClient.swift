#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// An event-driven HTTP/1.1 client for one server (host:port) with a keep-alive connection pool,
/// built on `EventLoop`. One request per connection at a time (no pipelining). All methods except
/// `execute` and `fetch` must be called on the loop thread; handlers are called on it.
///
/// Mirrors the aiohttp session `vllm bench serve` uses: pool limit = max concurrency (0 = unlimited),
/// idle keep-alive connections kept for `keepAliveSeconds` (60 s), no retries.
public final class HTTPClient: @unchecked Sendable {
    public let loop: EventLoop
    public let address: ClientAddress
    /// Most open connections; 0 = unlimited. Requests beyond it wait in FIFO order.
    public let maxConnections: Int
    public let keepAliveSeconds: Double
    private var idle: [HTTPClientConnection] = []
    private var open = 0
    private var waiting: [(bytes: [UInt8], handler: HTTPClientResponseHandler)] = []
    private var waitingHead = 0
    private let readBuffer = ClientReadBuffer()
    /// Highest number of simultaneously open connections seen.
    public private(set) var peakConnections = 0

    public init(loop: EventLoop, address: ClientAddress, maxConnections: Int = 0, keepAliveSeconds: Double = 60) {
        self.loop = loop
        self.address = address
        self.maxConnections = maxConnections
        self.keepAliveSeconds = keepAliveSeconds
    }

    /// Host header value (`host:port`, IPv6 bracketed).
    public var hostHeader: String {
        let h = address.host.contains(":") && !address.host.hasPrefix("[") ? "[\(address.host)]" : address.host
        return "\(h):\(address.port)"
    }

    /// Runs `body` on the loop thread.
    public func execute(_ body: @escaping @Sendable () -> Void) { loop.execute(body) }

    /// Sends `request` (serialised with this client's Host header). Loop thread only.
    public func send(_ request: HTTPClientRequest, handler: HTTPClientResponseHandler) {
        send(serialized: request.serialize(host: hostHeader), handler: handler)
    }

    /// Sends already serialised request bytes. Loop thread only.
    public func send(serialized bytes: [UInt8], handler: HTTPClientResponseHandler) {
        let now = monotonicNanos()
        while let c = idle.popLast() {
            if c.state == .idle && Double(now - c.idleSinceNanos) / 1e9 < keepAliveSeconds {
                c.send(bytes, handler: handler)
                return
            }
            c.close()
        }
        if maxConnections > 0 && open >= maxConnections {
            waiting.append((bytes, handler))
            return
        }
        openConnection(bytes, handler)
    }

    private func openConnection(_ bytes: [UInt8], _ handler: HTTPClientResponseHandler) {
        let c = HTTPClientConnection(loop: loop, address: address, readBuffer: readBuffer)
        open += 1
        peakConnections = max(peakConnections, open)
        // Weak: the pool may be released by its owner while connections still live on the loop;
        // an orphaned connection then just closes.
        c.onIdle = { [weak self] c in
            if let self { self.connectionIdle(c) } else { c.close() }
        }
        c.onClose = { [weak self] c in self?.connectionClosed(c) }
        c.open(sending: bytes, handler: handler)
    }

    private func connectionIdle(_ c: HTTPClientConnection) {
        if waitingHead < waiting.count {
            let w = waiting[waitingHead]
            waiting[waitingHead] = ([], NoopHandler.shared)
            waitingHead += 1
            compactWaiting()
            c.send(w.bytes, handler: w.handler)
        } else {
            idle.append(c)
        }
    }

    private func connectionClosed(_ c: HTTPClientConnection) {
        open -= 1
        if let i = idle.firstIndex(where: { $0 === c }) { idle.remove(at: i) }
        if waitingHead < waiting.count && (maxConnections == 0 || open < maxConnections) {
            let w = waiting[waitingHead]
            waiting[waitingHead] = ([], NoopHandler.shared)
            waitingHead += 1
            compactWaiting()
            openConnection(w.bytes, w.handler)
        }
    }

    private func compactWaiting() {
        if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    /// Closes idle connections and fails waiting requests. Loop thread only.
    public func closeAll() {
        for c in idle { c.close() }
        idle.removeAll()
        let w = waiting[waitingHead...]
        waiting.removeAll()
        waitingHead = 0
        for x in w { x.handler.failed(.shutdown) }
    }

    /// Sends one request and collects the whole response. Callable from any thread or task.
    /// Fails with `.timeout` after `timeout` seconds.
    public func fetch(_ request: HTTPClientRequest, timeout: Double = 30) async throws(HTTPClientError) -> (HTTPResponseHead, [UInt8]) {
        let bytes = request.serialize(host: hostHeader)
        let result: Result<(HTTPResponseHead, [UInt8]), HTTPClientError> = await withCheckedContinuation { cont in
            loop.execute { [self] in
                let h = CollectingHandler(cont)
                let timer = loop.schedule(after: .milliseconds(Int(timeout * 1000))) {
                    h.failed(.timeout(seconds: timeout))
                }
                h.onDone = { [loop] in loop.cancel(timer) }
                self.send(serialized: bytes, handler: h)
            }
        }
        return try result.get()
    }
}

/// Collects a whole response for `fetch`.
final class CollectingHandler: HTTPClientResponseHandler {
    private var cont: CheckedContinuation<Result<(HTTPResponseHead, [UInt8]), HTTPClientError>, Never>?
    private var headValue: HTTPResponseHead?
    private var data: [UInt8] = []
    var onDone: (() -> Void)?

    init(_ c: CheckedContinuation<Result<(HTTPResponseHead, [UInt8]), HTTPClientError>, Never>) { cont = c }

    func requestSent(atNanos nanos: UInt64) {}
    func head(_ head: HTTPResponseHead) { headValue = head }
    func body(_ bytes: [UInt8], atNanos nanos: UInt64) { data.append(contentsOf: bytes) }
    func end(atNanos nanos: UInt64) {
        guard let c = cont, let h = headValue else { return }
        cont = nil
        onDone?()
        c.resume(returning: .success((h, data)))
    }
    func failed(_ error: HTTPClientError) {
        guard let c = cont else { return }
        cont = nil
        onDone?()
        c.resume(returning: .failure(error))
    }
}

final class NoopHandler: HTTPClientResponseHandler {
    nonisolated(unsafe) static let shared = NoopHandler()
    func requestSent(atNanos nanos: UInt64) {}
    func head(_ head: HTTPResponseHead) {}
    func body(_ bytes: [UInt8], atNanos nanos: UInt64) {}
    func end(atNanos nanos: UInt64) {}
    func failed(_ error: HTTPClientError) {}
}

/// Monotonic clock in seconds (CLOCK_MONOTONIC), the clock of every client timestamp.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
