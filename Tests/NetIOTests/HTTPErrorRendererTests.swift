import HTTPCore
@testable import NetIO
import Testing

/// The transport's own error responses (framing errors, timeouts, the connection cap) take their
/// bodies from the server's `HTTPErrorRenderer`; the default is plain text.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPErrorRendererTests {
    /// Renders `<code>|<message>` as `application/x-test`.
    static let testRenderer = HTTPErrorRenderer { status, message in
        .init(contentType: "application/x-test", bytes: Array("\(status.code)|\(message)".utf8))
    }

    @Test func plainTextIsTheMessageAndANewline() {
        let body = HTTPErrorRenderer.plainText.render(status: .badRequest, message: "missing Host \"header\"")
        #expect(body == .init(contentType: "text/plain; charset=utf-8", bytes: Array("missing Host \"header\"\n".utf8)))
    }

    @Test func writeResponseFramesTheBodyAndClosesAndDropsAnUnsafeContentType() {
        var out: [UInt8] = []
        HTTPErrorRenderer.plainText.writeResponse(status: .requestTimeout, message: "slow", extraHeaders: [("Retry-After", "1")], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: 1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nslow\n")
        let evil = HTTPErrorRenderer { _, _ in .init(contentType: "a\r\nSet-Cookie: x", bytes: []) }
        out = []
        evil.writeResponse(status: .badRequest, message: "m", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func theDefaultServerAnswersAFramingErrorInPlainText() async throws {
        try await withTestServer(ServerConfiguration(port: 0, eventLoopCount: 1)) { _, port in
            let c = try RawSocket(port: port)
            let wire = Array("GET / HTTP/1.1\r\n\r\n".utf8)   // no Host
            c.send(wire)
            let r = try #require(c.readResponse())
            #expect(r.status == 400)
            #expect(r.header("content-type") == "text/plain; charset=utf-8")
            #expect(r.text == parseErrorReason(wire) + "\n")
            #expect(!parseErrorReason(wire).isEmpty)
        }
    }

    @Test func anInjectedRendererAnswersFramingErrors() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.parserLimits.maxHeadSize = 256
        try await withTestServer(config, errorRenderer: Self.testRenderer) { _, port in
            let c = try RawSocket(port: port)
            c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "b", count: 300) + "\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 431)
            #expect(r.header("content-type") == "application/x-test")
            #expect(r.text == "431|request head larger than 256 bytes")
            #expect(c.readsEOF())
        }
    }

    @Test func anInjectedRendererAnswersRequestTimeouts() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.bodyIdleTimeout = .milliseconds(200)
        try await withTestServer(config, errorRenderer: Self.testRenderer) { _, port in
            let c = try RawSocket(port: port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a part")
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
            #expect(r.header("content-type") == "application/x-test")
            #expect(r.text == "408|request body stalled for \(config.bodyIdleTimeout)")
        }
    }

    @Test func anInjectedRendererAnswersConnectionsOverTheCap() async throws {
        var config = ServerConfiguration(port: 0, eventLoopCount: 1)
        config.maxConnections = 1
        try await withTestServer(config, errorRenderer: Self.testRenderer) { _, port in
            let held = try RawSocket(port: port)
            held.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(held.readResponse()?.status == 200)
            let extra = try RawSocket(port: port)
            let r = try #require(extra.readResponse())
            #expect(r.status == 503)
            #expect(r.header("retry-after") == "1")
            #expect(r.header("content-type") == "application/x-test")
            #expect(r.text == "503|server is at its connection limit; retry later")
            #expect(extra.readsEOF())
        }
    }
}
