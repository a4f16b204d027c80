#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import HTTPCore
@testable import NetIO

/// A tiny blocking HTTP server for client tests: one thread per connection, answers every request
/// with `respond(requestHead, body)` bytes, keeps connections open unless told to close.
///
/// Descriptor ownership: only the accept thread closes the listening socket and only a connection's
/// thread closes that connection. `stop()` merely shuts them down (which wakes the blocked `accept`
/// and `recv` calls), so it can never close a descriptor number that another test has since reused,
/// and no thread is left blocked after the test.
final class TinyServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let lock = NSLock()
    private var _accepts = 0
    private var stopped = false
    private var connections: Set<Int32> = []
    var accepts: Int { lock.lock(); defer { lock.unlock() }; return _accepts }
    let respond: @Sendable (String, [UInt8], Int32) -> Bool   // returns false to close

    init(respond: @escaping @Sendable (String, [UInt8], Int32) -> Bool) {
        self.respond = respond
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1024)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in self.acceptLoop() }
    }

    /// Stops listening (new connects are refused at once) and ends every open connection.
    func stop() {
        lock.lock()
        stopped = true
        _ = shutdown(fd, Int32(SHUT_RDWR))
        for c in connections { _ = shutdown(c, Int32(SHUT_RDWR)) }
        lock.unlock()
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                close(fd)
                return
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(c)
                continue   // the next accept fails: the listener is shut down
            }
            _accepts += 1
            connections.insert(c)
            lock.unlock()
            Thread.detachNewThread { [self] in
                self.serve(c)
                self.lock.lock()
                self.connections.remove(c)
                self.lock.unlock()
                close(c)
            }
        }
    }

    private func serve(_ c: Int32) {
        var buf: [UInt8] = []
        var tmp = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read a head.
            var headEnd: Int?
            while headEnd == nil {
                if let r = find(buf, Array("\r\n\r\n".utf8)) { headEnd = r; break }
                let n = recv(c, &tmp, tmp.count, 0)
                if n <= 0 { return }
                buf += tmp[0..<n]
            }
            let head = String(decoding: buf[0..<headEnd!], as: UTF8.self)
            var len = 0
            for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                len = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
            while buf.count < headEnd! + 4 + len {
                let n = recv(c, &tmp, tmp.count, 0)
                if n <= 0 { return }
                buf += tmp[0..<n]
            }
            let body = Array(buf[(headEnd! + 4)..<(headEnd! + 4 + len)])
            buf.removeFirst(headEnd! + 4 + len)
            if !respond(head, body, c) { return }
        }
    }

    private func find(_ h: [UInt8], _ n: [UInt8]) -> Int? {
        guard h.count >= n.count else { return nil }
        for i in 0...(h.count - n.count) where h[i..<i + n.count].elementsEqual(n) { return i }
        return nil
    }
}

func writeAll(_ fd: Int32, _ s: String) {
    let b = Array(s.utf8)
    var off = 0
    while off < b.count {
        let n = b.withUnsafeBytes { send(fd, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { return }
        off += n
    }
}

/// Records streamed events for assertions; resumes a continuation at the end.
final class StreamCollector: HTTPClientResponseHandler, @unchecked Sendable {
    var status = 0
    var chunks: [[UInt8]] = []
    var times: [UInt64] = []
    var sent: UInt64 = 0
    var error: HTTPClientError?
    /// Called after each body event is recorded.
    var onBody: (@Sendable () -> Void)?
    let done: CheckedContinuation<Void, Never>
    init(_ c: CheckedContinuation<Void, Never>) { done = c }
    func requestSent(atNanos nanos: UInt64) { sent = nanos }
    func head(_ head: HTTPResponseHead) { status = head.status.code }
    func body(_ bytes: [UInt8], atNanos nanos: UInt64) { chunks.append(bytes); times.append(nanos); onBody?() }
    func end(atNanos nanos: UInt64) { done.resume() }
    func failed(_ error: HTTPClientError) { self.error = error; done.resume() }
}

@Suite struct HTTPClientTests {
    /// Runs `body` with an `HTTPClient` for 127.0.0.1:`port` on a fresh started loop; afterwards the client's
    /// pooled connections are closed on the loop (a loop's shutdown leaves descriptors open), then the loop stops.
    static func withClient(port: Int, maxConnections: Int = 0, keepAliveSeconds: Double = 60,
                           _ body: (HTTPClient) async throws -> Void) async throws {
        let loop = try EventLoop(name: "client-test")
        loop.start()
        defer { loop.shutdown() }
        let client = HTTPClient(loop: loop, address: try ClientAddress.resolve(host: "127.0.0.1", port: port),
                                maxConnections: maxConnections, keepAliveSeconds: keepAliveSeconds)
        defer { client.execute { client.closeAll() } }
        try await body(client)
    }

    @Test func fetchReusesKeepAliveConnection() async throws {
        let server = TinyServer { head, body, c in
            let text = head.hasPrefix("POST") ? String(decoding: body, as: UTF8.self) : "pong"
            writeAll(c, "HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)")
            return true
        }
        defer { server.stop() }
        // A long keep-alive: a loaded full run can starve this task between the two fetches for over the 60 s default.
        try await Self.withClient(port: server.port, keepAliveSeconds: 3600) { client in
            let (h1, b1) = try await client.fetch(HTTPClientRequest(method: "GET", target: "/health"))
            #expect(h1.status.code == 200 && b1 == Array("pong".utf8))
            let (_, b2) = try await client.fetch(HTTPClientRequest(method: "POST", target: "/echo", body: Array("hello".utf8)))
            #expect(b2 == Array("hello".utf8))
        }
        #expect(server.accepts == 1)
    }

    /// Each event reaches the handler before the server sends the next: the server waits (on its connection's
    /// thread) until the handler has the event. A client that held events back would leave the server waiting; after
    /// 30 s it sends the rest anyway, and `deliveredBeforeNext` says which waits ended in time.
    @Test func streamsChunkedEventsAsTheyArrive() async throws {
        let delivered = DispatchSemaphore(value: 0)
        let deliveredBeforeNext = Locked<[Bool]>([])
        let server = TinyServer { _, _, c in
            writeAll(c, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            for k in 0..<3 {
                let ev = "data: {\"k\":\(k)}\n\n"
                writeAll(c, String(ev.utf8.count, radix: 16) + "\r\n" + ev + "\r\n")
                let inTime = delivered.wait(timeout: .now() + 30) == .success
                deliveredBeforeNext.withLock { $0.append(inTime) }
            }
            writeAll(c, "0\r\n\r\n")
            return true
        }
        defer { server.stop() }
        let box = Box<StreamCollector>()
        try await Self.withClient(port: server.port) { client in
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let col = StreamCollector(c)
                col.onBody = { delivered.signal() }
                box.value = col
                let req = HTTPClientRequest(method: "POST", target: "/v1/chat/completions", body: Array("{}".utf8))
                client.execute { client.send(req, handler: col) }
            }
        }
        let col = try #require(box.value)
        #expect(col.error == nil)
        #expect(col.status == 200)
        #expect(col.chunks.map { String(decoding: $0, as: UTF8.self) } == (0..<3).map { "data: {\"k\":\($0)}\n\n" })
        #expect(deliveredBeforeNext.withLock { $0 } == [true, true, true])
        // Each event is delivered by its own read, in order, after the request left.
        #expect(col.times.count == 3 && col.times[0] >= col.sent && col.times[0] < col.times[1] && col.times[1] < col.times[2])
    }

    @Test func refusedConnectionFails() async throws {
        // Bind and close a socket to get a port nobody listens on.
        let s = TinyServer { _, _, _ in false }
        let port = s.port
        s.stop()
        try await Self.withClient(port: port) { client in
            await #expect(throws: HTTPClientError.self) { try await client.fetch(HTTPClientRequest(method: "GET", target: "/")) }
        }
    }

    @Test func serverClosingMidBodyIsAnError() async throws {
        let server = TinyServer { _, _, c in
            writeAll(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
            return false
        }
        defer { server.stop() }
        try await Self.withClient(port: server.port) { client in
            do {
                _ = try await client.fetch(HTTPClientRequest(method: "GET", target: "/"))
                Issue.record("expected an error")
            } catch {
                #expect("\(error)".contains("Server disconnected"))
            }
        }
    }

    @Test func manyConcurrentRequestsOnOneLoopStayWithinMaxConnections() async throws {
        let server = TinyServer { _, _, c in
            writeAll(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            return true
        }
        defer { server.stop() }
        try await Self.withClient(port: server.port, maxConnections: 64) { client in
            try await withThrowingTaskGroup(of: Int.self) { g in
                for _ in 0..<300 {
                    g.addTask { try await client.fetch(HTTPClientRequest(method: "GET", target: "/")).0.status.code }
                }
                for try await code in g { #expect(code == 200) }
            }
            #expect(client.peakConnections <= 64)
        }
    }
}

final class Box<T>: @unchecked Sendable { var value: T? }
