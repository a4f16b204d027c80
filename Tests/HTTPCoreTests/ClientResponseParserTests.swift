import Testing
@testable import HTTPCore

@Suite struct ClientResponseParserTests {
    func parseAll(_ text: String, splits: [Int] = [], head: Bool = false) throws -> [HTTPResponseEvent] {
        let bytes = Array(text.utf8)
        var p = HTTPResponseParser()
        p.isResponseToHEAD = head
        var ev: [HTTPResponseEvent] = []
        var start = 0
        for s in splits + [bytes.count] {
            ev += try p.feed(bytes[start..<s])
            start = s
        }
        return ev
    }

    /// Concatenates body events so split variants compare equal.
    func normalise(_ ev: [HTTPResponseEvent]) -> [HTTPResponseEvent] {
        var out: [HTTPResponseEvent] = []
        for e in ev {
            if case .body(let b) = e, case .body(let a)? = out.last { out[out.count - 1] = .body(a + b); continue }
            if case .body(let b) = e, b.isEmpty { continue }
            out.append(e)
        }
        return out
    }

    @Test func contentLengthBody() throws {
        let ev = try parseAll("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        #expect(ev.count == 3)
        guard case .head(let h) = ev[0] else { Issue.record("no head"); return }
        #expect(h.status.code == 200 && h.status.reasonPhrase == "OK")
        #expect(h.headers["content-type"] == "application/json")
        #expect(ev[1] == .body(Array("{}".utf8)))
        #expect(ev[2] == .end(keepAlive: true))
    }

    @Test func chunkedSSEBodyAtEverySplit() throws {
        let text = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n"
            + "17\r\ndata: {\"choices\":[1]}\n\n\r\n" + "E;ext=1\r\ndata: [DONE]\n\n\r\n" + "0\r\nX-Trailer: y\r\n\r\n"
        let whole = normalise(try parseAll(text))
        #expect(whole.count == 3)
        #expect(whole[1] == .body(Array("data: {\"choices\":[1]}\n\ndata: [DONE]\n\n".utf8)))
        #expect(whole[2] == .end(keepAlive: true))
        for cut in 1..<text.utf8.count {
            #expect(normalise(try parseAll(text, splits: [cut])) == whole, "split at \(cut)")
        }
    }

    @Test func closeDelimitedBodyEndsAtEOF() throws {
        var p = HTTPResponseParser()
        let ev = try p.feed(Array("HTTP/1.0 200 OK\r\n\r\nhello".utf8))
        #expect(ev.count == 2)
        #expect(try p.feed(Array(" world".utf8)) == [.body(Array(" world".utf8))])
        #expect(try p.finish() == [.end(keepAlive: false)])
    }

    @Test func keepAliveRules() throws {
        var ev = try parseAll("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        #expect(ev.last == .end(keepAlive: false))
        ev = try parseAll("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
        #expect(ev.last == .end(keepAlive: true))
        ev = try parseAll("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", head: true)
        #expect(ev.last == .end(keepAlive: true))
    }

    @Test func interimResponsesAreSkipped() throws {
        let ev = try parseAll("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx")
        guard case .head(let h) = ev[0] else { Issue.record("no head"); return }
        #expect(h.status.code == 404)
        #expect(ev.count == 3)
    }

    @Test func errors() throws {
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTX/1.1 200 OK\r\n\r\n") }
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTP/1.1 2000 OK\r\n\r\n") }
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n") }
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") }
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n") }
        #expect(throws: HTTPResponseParseError.self) { try parseAll("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n") }
        var p = HTTPResponseParser()
        // A valid head and part of the body are accepted; only the end of input before the rest is an error.
        #expect(try p.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)).count == 2)
        #expect(throws: HTTPResponseParseError.self) { try p.finish() }
        var q = HTTPResponseParser()
        q.limits.maxHeadBytes = 32
        #expect(throws: HTTPResponseParseError.self) { try q.feed(Array(("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 64)).utf8)) }
    }

    @Test func requestSerialisation() {
        var h = HTTPHeaders()
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "x-request-id", value: "bench-1\r\nEvil: 1")
        let r = HTTPClientRequest(method: "POST", target: "/v1/chat/completions", headers: h, body: Array("{}".utf8))
        #expect(String(decoding: r.serialize(host: "127.0.0.1:8000"), as: UTF8.self) ==
            "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\nx-request-id: bench-1Evil: 1\r\nContent-Length: 2\r\n\r\n{}")
        #expect(String(decoding: HTTPClientRequest(method: "GET", target: "/health").serialize(host: "h"), as: UTF8.self) ==
            "GET /health HTTP/1.1\r\nHost: h\r\n\r\n")
    }
}
