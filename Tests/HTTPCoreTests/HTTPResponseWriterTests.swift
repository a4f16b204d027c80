import Testing
@testable import HTTPCore

@Suite struct HTTPResponseWriterTests {
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    @Test func headWithContentLength() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": "application/json", "Content-Length": "999"])
        let out = HTTPResponseWriter.head(head, framing: .contentLength(2), keepAlive: true)
        #expect(text(out) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func chunkedHeadAndClose() {
        let head = HTTPResponseHead(version: .http1_1, status: HTTPStatus(code: 503), headers: ["Retry-After": "1"])
        let out = HTTPResponseWriter.head(head, framing: .chunked, keepAlive: false)
        #expect(text(out) == "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    }

    @Test func http10KeepAlive() {
        let head = HTTPResponseHead(version: .http1_0, status: .notFound, headers: HTTPHeaders())
        #expect(text(HTTPResponseWriter.head(head, framing: .contentLength(0), keepAlive: true))
                == "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    /// Outbound validation: CR/LF/NUL in a value or a non-token name never reaches the wire.
    @Test func invalidFieldsAreDropped() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                    headers: ["X-Evil": "a\r\nSet-Cookie: x", "Bad Name": "v", "X-Nul": "a\u{0}", "X-Ok": "fine\tvalue"])
        #expect(text(HTTPResponseWriter.head(head, framing: .contentLength(0), keepAlive: true))
                == "HTTP/1.1 200 OK\r\nX-Ok: fine\tvalue\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func chunks() {
        #expect(text(HTTPResponseWriter.chunk(bytes("data: {}\n\n"))) == "a\r\ndata: {}\n\n\r\n")
        #expect(HTTPResponseWriter.chunk([]).isEmpty)
        #expect(text(HTTPResponseWriter.lastChunk) == "0\r\n\r\n")
        let big = [UInt8](repeating: 0x41, count: 4096)
        #expect(text(Array(HTTPResponseWriter.chunk(big).prefix(6))) == "1000\r\n")
    }

    /// The fast decimal/hex writers against the standard library's formatting (naive reference).
    @Test func numberFormattingMatchesReference() {
        var values = [0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 4095, 65535, 1 << 20, 123_456_789, Int.max]
        for i in 0..<200 { values.append(i * 7919 + i * i * 31) }
        for v in values {
            var d: [UInt8] = []
            HTTPResponseWriter.writeDecimal(v, into: &d)
            #expect(text(d) == String(v))
            var h: [UInt8] = []
            HTTPResponseWriter.writeHex(v, into: &h)
            #expect(text(h) == String(v, radix: 16))
        }
    }

    @Test func statusLines() {
        var out: [UInt8] = []
        HTTPResponseWriter.writeStatusLine(version: .http1_1, status: HTTPStatus(code: 431), into: &out)
        #expect(text(out) == "HTTP/1.1 431 Request Header Fields Too Large\r\n")
        #expect(HTTPStatus(code: 299).reasonPhrase == "Unknown")
    }

    @Test func headersLookup() {
        var h: HTTPHeaders = ["Content-Type": "a", "X-Multi": "1"]
        h.add(name: "x-multi", value: "2")
        #expect(h["content-type"] == "a")
        #expect(h.values("X-MULTI") == ["1", "2"])
        h.replaceOrAdd(name: "X-Multi", value: "3")
        #expect(h.values("x-multi") == ["3"])
        #expect(h["missing"] == nil)
    }
}
