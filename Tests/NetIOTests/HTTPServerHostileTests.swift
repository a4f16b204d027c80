#if canImport(Glibc)
import Glibc
#endif
import Testing
import HTTPCore
@testable import NetIO
import Synchronization
import Foundation

/// Sends `bytes` one at a time with a pause between them, on a thread of its own; `stop()` waits for it.
final class Dripper: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = NSCondition()
    private var done = false

    init(fd: Int32, bytes: [UInt8], interval: TimeInterval) {
        let thread = Thread { [self] in
            for byte in bytes where !self.stopped.load(ordering: .relaxed) {
                var b = byte
                if Glibc.send(fd, &b, 1, Int32(MSG_NOSIGNAL)) <= 0 { break }
                Thread.sleep(forTimeInterval: interval)
            }
            self.finished.lock()
            self.done = true
            self.finished.broadcast()
            self.finished.unlock()
        }
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.lock()
        while !done { finished.wait() }
        finished.unlock()
    }
}

/// The reason the request parser (default limits) gives for rejecting `wire`, or "" if it does not.
func parseErrorReason(_ wire: [UInt8]) -> String {
    var parser = HTTPRequestParser()
    parser.feed(wire)
    do {
        while try parser.next() != nil {}
        return ""
    } catch {
        return error.reason
    }
}

/// Hostile and broken input (issue 5, http-hardening.md §2 and §4): each case gets the right
/// status, then a close, and the next connection is served normally. The time limit turns a
/// callback that never fires into a failure instead of a hung run.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerHostileTests {
    static let cases: [(name: String, wire: [UInt8], status: Int)] = {
        func b(_ s: String) -> [UInt8] { Array(s.utf8) }
        let post = "POST /echo HTTP/1.1\r\nHost: t\r\n"
        return [
            ("request line over 8 KiB", b("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n"), 414),
            ("head over 32 KiB", b("GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-Pad: " + String(repeating: "p", count: 1000) + "\r\n", count: 40) + "\r\n"), 431),
            ("more than 100 headers", b("GET / HTTP/1.1\r\nHost: t\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n"), 431),
            ("Content-Length over 16 MiB", b(post + "Content-Length: 16777217\r\n\r\n"), 413),
            ("Content-Length with Transfer-Encoding", b(post + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400),
            ("Content-Length list", b(post + "Content-Length: 4, 4\r\n\r\nabcd"), 400),
            ("duplicate Content-Length", b(post + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nabcd"), 400),
            ("non-numeric Content-Length", b(post + "Content-Length: abc\r\n\r\n"), 400),
            ("overflowing Content-Length", b(post + "Content-Length: 99999999999999999999\r\n\r\n"), 400),
            ("17 hex digit chunk size", b(post + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n"), 400),
            ("chunk larger than the body budget", b(post + "Transfer-Encoding: chunked\r\n\r\nffffffffffff\r\n"), 413),
            ("non-hex chunk size", b(post + "Transfer-Encoding: chunked\r\n\r\nxyz\r\n"), 400),
            ("Transfer-Encoding gzip, chunked", b(post + "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501),
            ("bare CR", b("GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n"), 400),
            ("bare LF", b("GET / HTTP/1.1\nHost: t\n\n"), 400),
            ("obs-fold", b("GET / HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  b\r\n\r\n"), 400),
            ("NUL in a header value", b("GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u{0}b\r\n\r\n"), 400),
            ("whitespace before colon", b("GET / HTTP/1.1\r\nHost : t\r\n\r\n"), 400),
            ("HTTP/1.1 without Host", b("GET / HTTP/1.1\r\n\r\n"), 400),
            ("unknown method", b("BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n"), 501),
            ("HTTP/2 preface", b("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505),
            ("TLS ClientHello", [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03] + [UInt8](repeating: 0x42, count: 160), 400),
            ("Transfer-Encoding on HTTP/1.0", b("POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400),
        ]
    }()

    @Test(arguments: 0..<cases.count)
    func framingAttackGetsStatusThenClose(_ index: Int) async throws {
        let attack = Self.cases[index]
        try await withTestServer(ServerConfiguration(port: 0, eventLoopCount: 1)) { _, port in
            let c = try RawSocket(port: port)
            c.send(attack.wire)
            let r = try #require(c.readResponse(), "\(attack.name): no response")
            #expect(r.status == attack.status, "\(attack.name)")
            #expect(r.header("connection") == "close", "\(attack.name)")
            // The default renderer: the parser's reason for this very input, as plain text.
            #expect(r.header("content-type") == "text/plain; charset=utf-8", "\(attack.name)")
            #expect(r.text == parseErrorReason(attack.wire) + "\n", "\(attack.name)")
            #expect(c.readsEOF(), "\(attack.name): connection not closed")
            try expectNextConnectionServed(port)
        }
    }

    @Test func unknownPathIsTheApplicationsJobAndKeepsTheConnection() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse()?.status == 404)
            #expect(c.readResponse()?.status == 200)
        }
    }

    // MARK: - Slow and stuck peers

    @Test func drippingHeadersHitTheAbsoluteHeadDeadline() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.headTimeout = .milliseconds(300)
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            let wire = Array("GET /echo HTTP/1.1\r\nHost: t\r\nX-Slow: " .utf8) + [UInt8](repeating: 0x61, count: 10_000)
            // The first byte goes out now; then one byte every 20 ms from a thread of its own (not the
            // cooperative pool, which blocking tests may occupy). Each byte would reset a per-read
            // timer, never an absolute one.
            c.send([wire[0]])
            let dripper = Dripper(fd: c.fd, bytes: Array(wire.dropFirst()), interval: 0.02)
            // Stop the dripper before the socket (and its descriptor number) goes away.
            defer { dripper.stop() }
            let response = c.readResponse()
            let r = try #require(response, "pending \(String(decoding: c.pending, as: UTF8.self)) eof \(c.sawEOF)")
            #expect(r.status == 408)
            #expect(c.readsEOF())
            try expectNextConnectionServed(port)
        }
    }

    @Test func silentConnectionIsClosedAtTheHeadDeadline() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.headTimeout = .milliseconds(200)
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            #expect(c.readsEOF())
            #expect(c.pending.isEmpty)
        }
    }

    @Test func stalledBodyHitsTheIdleGap() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.bodyIdleTimeout = .milliseconds(200)
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a part")
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
            #expect(c.readsEOF())
            try expectNextConnectionServed(port)
        }
    }

    @Test func slowBodyHitsTheAbsoluteBodyDeadline() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.bodyTimeout = .milliseconds(300)
        config.bodyIdleTimeout = .seconds(10)
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
            c.send("a")
            let dripper = Dripper(fd: c.fd, bytes: [UInt8](repeating: 0x61, count: 99_999), interval: 0.02)
            defer { dripper.stop() }
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
        }
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.keepAliveIdleTimeout = .milliseconds(200)
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse()?.status == 200)
            #expect(c.readsEOF())
            #expect(c.pending.isEmpty)
        }
    }

    @Test func clientThatNeverReadsHitsTheWriteStallTimeout() async throws {
        let handler = TestHandler()
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.writeStallTimeout = .milliseconds(300)
        try await withTestServer(config, handler: handler) { server, port in
            let c = try RawSocket(port: port)
            var small: Int32 = 4096
            setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            c.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            let closed = AsyncQueue<Void>()
            responder.onClose { closed.push(()) }
            responder.startStream(status: 200, headers: [])
            let chunk = [UInt8](repeating: 0x78, count: 64 * 1024)
            // A back-pressure-aware producer: stops adding once 1 MiB is buffered.
            for _ in 0..<64 where responder.bufferedBytes < 1 << 20 { responder.write(chunk) }
            // The stalled reader back-pressures only its own stream: the same loop serves others.
            try expectNextConnectionServed(port)
            await closed.next()
            #expect(responder.isClosed)
            try expectNextConnectionServed(port)
            _ = server
        }
    }

    @Test func writeBufferCapAbortsTheStream() async throws {
        let handler = TestHandler()
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.maxWriteBufferSize = 256 * 1024
        try await withTestServer(config, handler: handler) { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            let closed = AsyncQueue<Void>()
            responder.onClose { closed.push(()) }
            responder.startStream(status: 200, headers: [])
            let chunk = [UInt8](repeating: 0x78, count: 64 * 1024)
            for _ in 0..<200 where !responder.isClosed { responder.write(chunk) }
            await closed.next()
            #expect(responder.isClosed)
            #expect(c.readsEOF())
        }
    }

    @Test func resetMidRequestLeavesTheServerServing() async throws {
        try await withTestServer(ServerConfiguration(port: 0, eventLoopCount: 1)) { _, port in
            for _ in 0..<20 {
                let c = try RawSocket(port: port)
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\npartial")
                c.reset()
            }
            try expectNextConnectionServed(port)
        }
    }

    @Test func connectionsOverTheCapGet503() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.maxConnections = 2
        try await withTestServer(config) { server, port in
            var held: [RawSocket] = []
            for _ in 0..<2 {
                let c = try RawSocket(port: port)
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(c.readResponse()?.status == 200)
                held.append(c)
            }
            let extra = try RawSocket(port: port)
            extra.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try #require(extra.readResponse())
            #expect(r.status == 503)
            #expect(r.header("retry-after") == "1")
            #expect(extra.readsEOF())
            // Free a slot: the server recovers.
            held[0].reset()
            held.removeFirst()
            var served = false
            for _ in 0..<1000 where !served {
                let c = try RawSocket(port: port)
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
                served = c.readResponse()?.status == 200
            }
            #expect(served)
            _ = server
        }
    }

    @Test func acceptFailuresBackOffAndRecover() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 2)
        config.acceptBackoff = .milliseconds(50)
        try await withTestServer(config) { server, port in
            await server.injectAcceptFailures(3)
            let c0 = try RawSocket(port: port)
            c0.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c0.readResponse()?.status == 200)
            #expect(server.acceptPauseCount >= 1)
            try expectNextConnectionServed(port)
        }
    }
}

/// A fresh connection gets a normal answer.
func expectNextConnectionServed(_ port: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let c = try RawSocket(port: port)
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok")
    let r = c.readResponse()
    #expect(r?.status == 200, sourceLocation: sourceLocation)
    #expect(r?.text == "ok", sourceLocation: sourceLocation)
}
