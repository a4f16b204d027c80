import Testing
import HTTPCore
@testable import NetIO
import Synchronization

/// The time limit turns a callback that never fires into a failure instead of a hung run.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            for i in 0..<5 {
                c.send("POST /echo?i=\(i) HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
                let r = try #require(c.readResponse())
                #expect(r.status == 200)
                #expect(r.text == "hello")
                #expect(r.header("x-query") == "i=\(i)")
                #expect(r.header("connection") == nil)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            var wire = ""
            for i in 0..<10 { wire += "GET /echo?n=\(i) HTTP/1.1\r\nHost: t\r\n\r\n" }
            wire += "GET /stream?n=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?n=last HTTP/1.1\r\nHost: t\r\n\r\n"
            c.send(wire)
            for i in 0..<10 {
                let r = try #require(c.readResponse())
                #expect(r.header("x-query") == "n=\(i)")
            }
            let stream = try #require(c.readResponse())
            #expect(stream.chunks.count == 2)
            let last = try #require(c.readResponse())
            #expect(last.header("x-query") == "n=last")
        }
    }

    /// A 3 MiB body arrives over many reads and its echo leaves over many partial writes.
    @Test func largeBodyRoundTrip() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            let body = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
            c.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.body == body)
        }
    }

    @Test func chunkedUpload() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
            c.send("3;x=y\r\nefg\r\n0\r\nTrailer: v\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.text == "abcdefg")
        }
    }

    @Test func expectContinueGets100BeforeTheBody() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            let interim = try #require(c.readResponse())
            #expect(interim.status == 100)
            c.send("data")
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.text == "data")
        }
    }

    @Test func expectContinueOverTheBodyLimitGets413Not100() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.parserLimits.maxBodySize = 10
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 413)
            #expect(r.header("connection") == "close")
            #expect(c.readsEOF())
        }
    }

    @Test func http10ClientsGetCloseDelimitedOrKeepAliveResponses() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /echo HTTP/1.0\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.header("x-version") == "HTTP/1.0")
            #expect(r.header("connection") == "close")
            #expect(c.readsEOF())

            let k = try RawSocket(port: port)
            k.send("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi")
            let r1 = try #require(k.readResponse())
            #expect(r1.header("connection") == "keep-alive")
            #expect(r1.text == "hi")
            // A 1.0 stream has no chunking: it ends when the connection closes.
            k.send("GET /stream?n=3 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let s = try #require(k.readResponse())
            #expect(s.header("transfer-encoding") == nil)
            #expect(s.text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
        }
    }

    @Test func streamingIsChunkedAndFlushedPerWrite() async throws {
        let handler = TestHandler()
        try await withTestServer(handler: handler) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /hold HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            responder.startStream(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])
            responder.write(Array("data: {\"a\":1}\n\n".utf8))
            // The head and the first event arrive before the stream finishes.
            while find(c.pending, Array("data: {\"a\":1}\n\n\r\n".utf8)) == nil { #expect(c.fill()); if c.sawEOF || c.timedOut { break } }
            #expect(find(c.pending, Array("Transfer-Encoding: chunked\r\n".utf8)) != nil)
            responder.write(Array("data: [DONE]\n\n".utf8))
            responder.finish()
            let r = try #require(c.readResponse())
            #expect(r.chunks.map { String(decoding: $0, as: UTF8.self) } == ["data: {\"a\":1}\n\n", "data: [DONE]\n\n"])
            #expect(r.header("content-type") == "text/event-stream")
            // The connection is reusable after the stream.
            c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse()?.status == 200)
        }
    }

    @Test func clientDisconnectFiresOnCloseOnce() async throws {
        let handler = TestHandler()
        try await withTestServer(handler: handler) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /hold HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            let fired = AsyncQueue<Int>()
            let count = Atomic<Int>(0)
            responder.onClose { fired.push(count.add(1, ordering: .relaxed).newValue) }
            responder.startStream(status: 200, headers: [])
            responder.write(Array("data: 1\n\n".utf8))
            c.reset()
            // Keep producing, as an engine would, until the transport notices.
            let producer = Task {
                while !responder.isClosed {
                    responder.write(Array("data: x\n\n".utf8))
                    await Task.yield()
                }
            }
            #expect(await fired.next() == 1)
            await producer.value
            #expect(responder.isClosed)
            responder.write(Array("late".utf8))   // ignored
            responder.finish()
            #expect(count.load(ordering: .relaxed) == 1)
            // onClose registered after the fact runs at once, on the caller's thread.
            let late = Atomic<Bool>(false)
            responder.onClose { late.store(true, ordering: .relaxed) }
            let ranAtOnce = late.load(ordering: .relaxed)
            #expect(ranAtOnce)
        }
    }

    @Test func halfClosedClientStillGetsItsResponse() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET /echo?second HTTP/1.1\r\nHost: t\r\n\r\n")
            c.shutdownWrite()
            #expect(c.readResponse()?.text == "abc")
            #expect(c.readResponse()?.header("x-query") == "second")
            #expect(c.readsEOF())
        }
    }

    @Test func abortPolicyTreatsEOFWhileWaitingAsADisconnect() async throws {
        let handler = TestHandler()
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.peerEOFWhileResponding = .abort
        try await withTestServer(config, handler: handler) { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            let fired = AsyncQueue<Void>()
            responder.onClose { fired.push(()) }
            c.shutdownWrite()   // nothing written yet: only the EOF can tell
            await fired.next()
            #expect(responder.isClosed)
            #expect(c.readsEOF())
        }
    }

    @Test func headRequestsGetNoBody() async throws {
        try await withTestServer { _, port in
            let c = try RawSocket(port: port)
            c.send("HEAD /echo HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?after HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try #require(c.readResponse(isHEAD: true))
            #expect(r.status == 200)
            #expect(r.header("content-length") == "0")
            #expect(c.readResponse()?.header("x-query") == "after")
        }
    }

    @Test func lastRequestOnAConnectionGetsConnectionClose() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.maxRequestsPerConnection = 3
        try await withTestServer(config) { _, port in
            let c = try RawSocket(port: port)
            for i in 1...3 {
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
                let r = try #require(c.readResponse())
                #expect(r.header("connection") == (i == 3 ? "close" : nil))
            }
            #expect(c.readsEOF())
        }
    }

    @Test func responderWorksFromOtherThreads() async throws {
        let handler = TestHandler()
        try await withTestServer(handler: handler) { _, port in
            let c = try RawSocket(port: port)
            c.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            let responder = await handler.parkedSignal.next()
            await Task.detached {
                responder.send(status: 201, headers: [("X-Evil", "a\r\nb"), ("Content-Length", "99")], body: Array("made".utf8))
            }.value
            let r = try #require(c.readResponse())
            #expect(r.status == 201)
            #expect(r.text == "made")
            #expect(r.header("x-evil") == nil)
            #expect(r.header("content-length") == "4")
        }
    }

    @Test func shutdownDrainsInFlightStreamsAndRefusesNewConnections() async throws {
        let handler = TestHandler()
        var config = ServerConfiguration(port: 0, eventLoopCount: 2)
        config.port = 0
        let server = try HTTPServer(configuration: config, handler: handler)
        let port = try server.start()
        // Accepted connections go to the loops round-robin: these two idle ones are on both loops.
        let idle = try RawSocket(port: port), otherIdle = try RawSocket(port: port)
        for connection in [idle, otherIdle] {
            connection.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(connection.readResponse()?.status == 200)
        }
        let busy = try RawSocket(port: port)
        busy.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
        let responder = await handler.parkedSignal.next()
        responder.startStream(status: 200, headers: [])
        responder.write(Array("a".utf8))
        let done = Task { await server.shutdown(drainTimeout: .seconds(20)) }
        // The idle keep-alive connections are closed at once. Read off the pool: the shutdown task needs it.
        let idleBox = UncheckedBox([idle, otherIdle])
        #expect(await offPool { idleBox.value.map { $0.readsEOF() } } == [true, true])
        // Each loop stops listening before it closes its idle connections, and the last to stop closes the listening
        // socket: with both idle connections closed, a new connection is refused.
        #expect(throws: SystemError.self) { try RawSocket(port: port) }
        // The in-flight stream finishes normally, then its connection closes.
        responder.write(Array("b".utf8))
        responder.finish()
        let r = try #require(busy.readResponse())
        #expect(r.text == "ab")
        #expect(busy.readsEOF())
        await done.value
        #expect(server.connectionCount == 0)
    }

    @Test func shutdownTimeoutAbortsStuckStreams() async throws {
        let handler = TestHandler()
        let server = try HTTPServer(configuration: ServerConfiguration(port: 0, eventLoopCount: 1), handler: handler)
        let port = try server.start()
        let c = try RawSocket(port: port)
        c.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
        let responder = await handler.parkedSignal.next()
        let aborted = AsyncQueue<Void>()
        responder.onClose { aborted.push(()) }
        await server.shutdown(drainTimeout: .milliseconds(50))
        await aborted.next()
        #expect(responder.isClosed)
        #expect(c.readsEOF())
    }
}
