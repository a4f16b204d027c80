import Testing
@testable import HTTPCore

/// Parses `bytes` fed in pieces of `split` bytes (0 = all at once); returns the complete requests
/// and the first error.
func parseAll(_ bytes: [UInt8], split: Int = 0, limits: HTTPParserLimits = HTTPParserLimits()) -> (requests: [HTTPRequest], heads: [HTTPRequestHead], error: HTTPParseError?) {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var heads: [HTTPRequestHead] = []
    let pieces: [ArraySlice<UInt8>] = split == 0 ? [bytes[...]] : stride(from: 0, to: bytes.count, by: split).map { bytes[$0..<min($0 + split, bytes.count)] }
    for piece in pieces {
        parser.feed(Array(piece))
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let h): heads.append(h)
                case .request(let r): requests.append(r)
                }
            }
        } catch {
            return (requests, heads, error)
        }
    }
    return (requests, heads, nil)
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Expects `wire` to be rejected with `status` (and `kind` if given).
func expectRejected(_ wire: String, status: Int, kind: HTTPParseError.Kind? = nil, limits: HTTPParserLimits = HTTPParserLimits(),
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let result = parseAll(bytes(wire), limits: limits)
    #expect(result.error?.status.code == status, "got \(String(describing: result.error))", sourceLocation: sourceLocation)
    if let kind { #expect(result.error?.kind == kind, sourceLocation: sourceLocation) }
    #expect(result.requests.isEmpty, sourceLocation: sourceLocation)
}

@Suite struct HTTPRequestParserTests {
    static let simple = "GET /v1/models?limit=2 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"
    static let post = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":[1,2]}"
    static let chunked = "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: t\r\n\r\n"

    @Test func simpleGet() throws {
        let r = parseAll(bytes(Self.simple))
        #expect(r.error == nil)
        let req = try #require(r.requests.first)
        #expect(req.head.method == "GET")
        #expect(req.head.target == "/v1/models?limit=2")
        #expect(req.head.path == "/v1/models")
        #expect(req.head.query == "limit=2")
        #expect(req.head.version == .http1_1)
        #expect(req.head.keepAlive)
        #expect(req.head.headers["host"] == "localhost")
        #expect(req.head.headers["ACCEPT"] == "*/*")
        #expect(req.body.isEmpty)
    }

    @Test func contentLengthBody() throws {
        let req = try #require(parseAll(bytes(Self.post)).requests.first)
        #expect(String(decoding: req.body, as: UTF8.self) == "{\"a\":[1,2]}")
        #expect(req.head.contentLength == 11)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let r = parseAll(bytes(Self.chunked))
        #expect(r.error == nil)
        let req = try #require(r.requests.first)
        #expect(String(decoding: req.body, as: UTF8.self) == "hello world!")
        #expect(req.head.isChunked)
    }

    /// Every split point of three pipelined requests gives the same result as one feed.
    @Test func splitAtEveryByteBoundary() throws {
        let wire = bytes(Self.simple + Self.post + Self.chunked)
        let whole = parseAll(wire)
        #expect(whole.requests.count == 3)
        for cut in 1..<wire.count {
            var parser = HTTPRequestParser()
            var got: [HTTPRequest] = []
            for piece in [wire[..<cut], wire[cut...]] {
                parser.feed(Array(piece))
                while let event = try parser.next() {
                    if case .request(let r) = event { got.append(r) }
                }
            }
            #expect(got.count == 3, "cut at \(cut)")
            for (a, b) in zip(got, whole.requests) {
                #expect(a.body == b.body && a.head.target == b.head.target && a.head.headers.count == b.head.headers.count, "cut at \(cut)")
            }
        }
        // And one byte at a time.
        let drip = parseAll(wire, split: 1)
        #expect(drip.requests.map(\.body) == whole.requests.map(\.body))
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let r = parseAll(bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(r.requests.map(\.head.path) == ["/a", "/b", "/c"])
    }

    @Test func headEventPrecedesBodyForExpectContinue() throws {
        var parser = HTTPRequestParser()
        parser.feed(bytes("POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"))
        guard case .head(let head)? = try parser.next() else { Issue.record("no head event"); return }
        #expect(head.expectsContinue)
        #expect(parser.phase == .body)
        #expect(try parser.next() == nil)   // waiting for the body, not failed
        parser.feed(bytes("abc"))
        guard case .request(let req)? = try parser.next() else { Issue.record("no request"); return }
        #expect(req.body == bytes("abc"))
        #expect(parser.phase == .idle)
    }

    @Test func keepAliveRules() throws {
        let r10 = try #require(parseAll(bytes("GET / HTTP/1.0\r\n\r\n")).requests.first)
        #expect(!r10.head.keepAlive)
        #expect(r10.head.version == .http1_0)
        let r10ka = try #require(parseAll(bytes("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).requests.first)
        #expect(r10ka.head.keepAlive)
        let r11close = try #require(parseAll(bytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, close\r\n\r\n")).requests.first)
        #expect(!r11close.head.keepAlive)
    }

    @Test func absoluteFormAndAsteriskTargets() throws {
        let a = try #require(parseAll(bytes("GET http://example.com/v1/models?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")).requests.first)
        #expect(a.head.path == "/v1/models")
        #expect(a.head.query == "x=1")
        let b = try #require(parseAll(bytes("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")).requests.first)
        #expect(b.head.path == "*")
    }

    @Test func leadingEmptyLinesAreTolerated() {
        #expect(parseAll(bytes("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")).requests.count == 1)
        expectRejected("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: .tooManyEmptyLines)
    }

    // MARK: - Limits

    @Test func requestLineOverLimitIs414() {
        let limits = HTTPParserLimits(maxRequestLineLength: 64)
        expectRejected("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: x\r\n\r\n", status: 414, limits: limits)
        // Rejected before the line ends: the parser never buffers past the cap.
        var parser = HTTPRequestParser(limits: limits)
        parser.feed(bytes("GET /" + String(repeating: "a", count: 70)))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func headOverLimitIs431() {
        let limits = HTTPParserLimits(maxHeadSize: 256)
        let big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 300) + "\r\n\r\n"
        expectRejected(big, status: 431, kind: .headTooLarge, limits: limits)
        var parser = HTTPRequestParser(limits: limits)
        parser.feed(bytes(String(big.prefix(270))))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func tooManyHeadersIs431() {
        var wire = "GET / HTTP/1.1\r\nHost: x\r\n"
        for i in 0..<100 { wire += "X-\(i): v\r\n" }
        expectRejected(wire + "\r\n", status: 431, kind: .tooManyHeaders)
    }

    @Test func contentLengthOverLimitIs413BeforeTheBody() {
        let limits = HTTPParserLimits(maxBodySize: 10)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", status: 413, limits: limits)
        // With Expect: 100-continue the 413 comes instead of the head event (so no 100 is sent).
        let r = parseAll(bytes("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"), limits: limits)
        #expect(r.heads.isEmpty)
        #expect(r.error?.status.code == 413)
    }

    @Test func chunkedOverLimitIs413() {
        let limits = HTTPParserLimits(maxBodySize: 10)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", status: 413, limits: limits)
    }

    // MARK: - Smuggling and framing (http-hardening.md §2.6, §4)

    @Test func framingAttacks() {
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, kind: .contentLengthWithTransferEncoding)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", status: 400, kind: .duplicateContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x4\r\n\r\nabcd", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", status: 400, kind: .invalidContentLength)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501, kind: .unsupportedTransferEncoding)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400, kind: .invalidTransferEncoding)
        expectRejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, kind: .duplicateTransferEncoding)
        expectRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, kind: .transferEncodingOnHTTP10)
        expectRejected("GET / HTTP/1.1\r\n\r\n", status: 400, kind: .missingHost)
        expectRejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, kind: .duplicateHost)
    }

    @Test func chunkSizeAttacks() {
        let prefix = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        expectRejected(prefix + "fffffffffffffffff\r\n", status: 400, kind: .invalidChunkSize)   // 17 hex digits
        expectRejected(prefix + "ffffffffffffffff\r\n", status: 413, kind: .bodyTooLarge)         // 16 digits: fits, over budget
        expectRejected(prefix + "zz\r\n", status: 400, kind: .invalidChunkSize)
        expectRejected(prefix + "\r\n", status: 400, kind: .invalidChunkSize)
        expectRejected(prefix + "5 x\r\nhello\r\n0\r\n\r\n", status: 400, kind: .invalidChunkSize)
        expectRejected(prefix + "5\nhello\r\n0\r\n\r\n", status: 400, kind: .bareLF)
        expectRejected(prefix + "5\r\nhelloXX0\r\n\r\n", status: 400, kind: .invalidChunkTerminator)
        expectRejected(prefix + "5;a=\u{1}\r\nhello\r\n0\r\n\r\n", status: 400, kind: .invalidChunkSize)
        expectRejected(prefix + "1;" + String(repeating: "e", count: 2000) + "\r\n", status: 400, kind: .invalidChunkSize)
    }

    /// A flood of one-byte chunks with long extensions is cut off (picohttpparser's overhead guard),
    /// while ordinary small chunks pass.
    @Test func tinyChunkFloodIsRejected() {
        var flood = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<3000 { flood += "1;padding=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\na\r\n" }
        expectRejected(flood + "0\r\n\r\n", status: 400, kind: .invalidChunkSize)
        var fine = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<3000 { fine += "20\r\n" + String(repeating: "d", count: 32) + "\r\n" }
        let r = parseAll(bytes(fine + "0\r\n\r\n"))
        #expect(r.error == nil)
        #expect(r.requests.first?.body.count == 96_000)
    }

    @Test func headSyntaxAttacks() {
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n", status: 400, kind: .obsFold)
        expectRejected("GET / HTTP/1.1\r\n Host: x\r\n\r\n", status: 400, kind: .obsFold)
        expectRejected("GET / HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n", status: 400, kind: .bareCR)
        expectRejected("GET / HTTP/1.1\nHost: x\r\n\r\n", status: 400, kind: .bareLF)
        expectRejected("GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", status: 400, kind: .bareLF)
        expectRejected("GET / HTTP/1.1\r\nHost : x\r\n\r\n", status: 400, kind: .whitespaceBeforeColon)
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n", status: 400, kind: .invalidHeaderValue)
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{7}b\r\n\r\n", status: 400, kind: .invalidHeaderValue)
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\nX\u{0}A: b\r\n\r\n", status: 400, kind: .invalidHeaderName)
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\n: b\r\n\r\n", status: 400, kind: .invalidHeaderName)
        expectRejected("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", status: 400, kind: .invalidHeaderName)
        expectRejected("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: .invalidRequestLine)
        expectRejected("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", status: 400, kind: .invalidRequestLine)
        expectRejected("GET /a\u{0}b HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: .invalidRequestLine)
        expectRejected("GET foo HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, kind: .invalidRequestLine)
        expectRejected("GET / HTTX/1.1\r\nHost: x\r\n\r\n", status: 400, kind: .invalidRequestLine)
    }

    @Test func versionsMethodsAndForeignProtocols() {
        expectRejected("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 505, kind: .unsupportedVersion)   // HTTP/2 preface
        expectRejected("GET / HTTP/0.9\r\n\r\n", status: 505, kind: .unsupportedVersion)
        expectRejected("GET / HTTP/1.2\r\nHost: x\r\n\r\n", status: 505, kind: .unsupportedVersion)
        expectRejected("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", status: 501, kind: .unknownMethod)
        expectRejected("get / HTTP/1.1\r\nHost: x\r\n\r\n", status: 501, kind: .unknownMethod)
        // A TLS ClientHello is rejected on its first byte, without waiting for a line end.
        var parser = HTTPRequestParser()
        parser.feed([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
        let error = #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(error?.kind == .invalidRequestLine)
        #expect(parser.bufferedByteCount == 0)   // nothing of it is kept
        parser.feed(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        let again = #expect(throws: HTTPParseError.self) { try parser.next() }   // still failed
        #expect(again == error)
    }

    /// After an error every later `next()` throws the same error, whatever is fed.
    @Test func errorIsSticky() {
        var parser = HTTPRequestParser()
        parser.feed(bytes("GET / HTTP/1.1\r\nHost : x\r\n\r\n"))
        let error = #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(error?.kind == .whitespaceBeforeColon)
        parser.feed(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        let again = #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(again == error)
    }

    /// Dripping a long head one byte at a time scans each byte once (no rescan): after every feed
    /// the scan position covers every buffered byte of the unfinished line (all but a CR waiting for
    /// its LF), so the next `next()` starts at the new byte instead of the line's start.
    @Test func dripFeedDoesNotRescan() throws {
        var parser = HTTPRequestParser()
        let wire = bytes("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + String(repeating: "v", count: 5000) + "\r\n\r\n")
        for b in wire.dropLast() {
            parser.feed([b])
            #expect(try parser.next() == nil)
            #expect(parser.scanned == parser.bufferedByteCount - (b == 0x0D ? 1 : 0))
        }
        parser.feed([wire.last!])
        guard case .head? = try parser.next() else { Issue.record("no head"); return }
    }
}

extension HTTPParserEvent: Equatable {
    public static func == (a: HTTPParserEvent, b: HTTPParserEvent) -> Bool {
        switch (a, b) {
        case (.head(let x), .head(let y)): return x.target == y.target
        case (.request(let x), .request(let y)): return x.head.target == y.head.target && x.body == y.body
        default: return false
        }
    }
}
