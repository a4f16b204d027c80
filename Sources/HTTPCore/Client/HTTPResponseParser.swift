/// Incremental HTTP/1.1 response parser (RFC 9112): status line, headers, and bodies framed by
/// `Content-Length`, `Transfer-Encoding: chunked` (with extensions and trailers) or the connection
/// close. Interim 1xx responses are skipped; 204, 304 and responses to HEAD have no body.
/// A pure value: feed it bytes in any split, call `finish()` on EOF.
public struct HTTPResponseParser: Sendable {
    enum State: Sendable {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataCRLF
        case trailers
        case untilClose
        case done
    }

    public var limits: HTTPResponseParserLimits
    /// Set before feeding the response to a HEAD request (no body follows the head).
    public var isResponseToHEAD = false
    private var state: State = .head
    private var buffer: [UInt8] = []
    private var keepAlive = true
    private var bodyBytes = 0

    public init(limits: HTTPResponseParserLimits = HTTPResponseParserLimits()) { self.limits = limits }

    /// Prepares for the next response on the same connection.
    public mutating func reset(isResponseToHEAD: Bool = false) {
        state = .head
        self.isResponseToHEAD = isResponseToHEAD
        keepAlive = true
        bodyBytes = 0
    }

    /// True once `.end` has been produced and before `reset`.
    public var isComplete: Bool { if case .done = state { return true }; return false }

    /// Parses `bytes` and returns the events they complete. Bytes after a complete response stay
    /// buffered for the next one (pipelining); call `reset()` then `feed([])` to parse them.
    public mutating func feed<C: Collection>(_ bytes: C) throws(HTTPResponseParseError) -> [HTTPResponseEvent]
    where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [HTTPResponseEvent] = []
        var pos = 0
        defer { if pos > 0 { buffer.removeSubrange(0..<pos) } }
        loop: while true {
            switch state {
            case .done:
                break loop
            case .head:
                guard let end = findHeadEnd(from: pos) else {
                    if buffer.count - pos > limits.maxHeadBytes {
                        throw HTTPResponseParseError(.headTooLarge, "response head exceeds \(limits.maxHeadBytes) bytes")
                    }
                    break loop
                }
                if end.headEnd - pos > limits.maxHeadBytes {
                    throw HTTPResponseParseError(.headTooLarge, "response head exceeds \(limits.maxHeadBytes) bytes")
                }
                let head = try parseHead(pos, end.headEnd)
                pos = end.next
                if head.status.code >= 100 && head.status.code < 200 && head.status.code != 101 { continue }
                keepAlive = head.keepAlive
                events.append(.head(head))
                try chooseFraming(head)
                if case .done = state { events.append(.end(keepAlive: keepAlive)) }
            case .fixed(let remaining):
                let n = min(remaining, buffer.count - pos)
                if n > 0 { events.append(.body(Array(buffer[pos..<pos + n]))); pos += n }
                if remaining - n == 0 {
                    state = .done
                    events.append(.end(keepAlive: keepAlive))
                } else {
                    state = .fixed(remaining: remaining - n)
                    break loop
                }
            case .untilClose:
                if buffer.count > pos {
                    bodyBytes += buffer.count - pos
                    if bodyBytes > limits.maxBodyBytes { throw HTTPResponseParseError(.bodyTooLarge, "response body too large") }
                    events.append(.body(Array(buffer[pos...])))
                    pos = buffer.count
                }
                break loop
            case .chunkSize:
                guard let lineEnd = findCRLF(from: pos) else {
                    if buffer.count - pos > 4096 { throw HTTPResponseParseError(.invalidChunkSize, "chunk size line too long") }
                    break loop
                }
                let size = try parseChunkSize(pos, lineEnd)
                pos = lineEnd + 2
                if size == 0 {
                    state = .trailers
                } else {
                    bodyBytes += size
                    if bodyBytes > limits.maxBodyBytes { throw HTTPResponseParseError(.bodyTooLarge, "response body too large") }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let n = min(remaining, buffer.count - pos)
                if n > 0 { events.append(.body(Array(buffer[pos..<pos + n]))); pos += n }
                if remaining - n == 0 { state = .chunkDataCRLF } else { state = .chunkData(remaining: remaining - n); break loop }
            case .chunkDataCRLF:
                guard buffer.count - pos >= 2 else { break loop }
                guard buffer[pos] == 0x0D, buffer[pos + 1] == 0x0A else {
                    throw HTTPResponseParseError(.invalidChunkTerminator, "chunk data not followed by CRLF")
                }
                pos += 2
                state = .chunkSize
            case .trailers:
                guard let lineEnd = findCRLF(from: pos) else {
                    if buffer.count - pos > limits.maxHeadBytes { throw HTTPResponseParseError(.headTooLarge, "trailers too large") }
                    break loop
                }
                let empty = lineEnd == pos
                pos = lineEnd + 2
                if empty {
                    state = .done
                    events.append(.end(keepAlive: keepAlive))
                }
            }
        }
        return events
    }

    /// Handles EOF: completes a close-delimited body; any other unfinished response is an error.
    public mutating func finish() throws(HTTPResponseParseError) -> [HTTPResponseEvent] {
        switch state {
        case .untilClose:
            state = .done
            return [.end(keepAlive: false)]
        case .done:
            return []
        case .head:
            if buffer.isEmpty { throw HTTPResponseParseError(.truncatedHead, "connection closed before a response arrived") }
            throw HTTPResponseParseError(.truncatedHead, "connection closed in the middle of the response head")
        default:
            throw HTTPResponseParseError(.truncatedBody, "connection closed before the response body was complete")
        }
    }

    private func findHeadEnd(from pos: Int) -> (headEnd: Int, next: Int)? {
        var i = pos
        let n = buffer.count
        while i + 1 < n {
            if buffer[i] == 0x0A {
                if buffer[i + 1] == 0x0A { return (i + 1, i + 2) }
                if buffer[i + 1] == 0x0D, i + 2 < n, buffer[i + 2] == 0x0A { return (i + 1, i + 3) }
            }
            i += 1
        }
        return nil
    }

    private func findCRLF(from pos: Int) -> Int? {
        var i = pos
        while i + 1 < buffer.count {
            if buffer[i] == 0x0D && buffer[i + 1] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    private func parseHead(_ s: Int, _ e: Int) throws(HTTPResponseParseError) -> HTTPResponseHead {
        // Split lines on LF, dropping an optional CR.
        var lines: [ArraySlice<UInt8>] = []
        var ls = s
        for i in s..<e where buffer[i] == 0x0A {
            var le = i
            if le > ls && buffer[le - 1] == 0x0D { le -= 1 }
            lines.append(buffer[ls..<le])
            ls = i + 1
        }
        guard let statusLine = lines.first else { throw HTTPResponseParseError(.invalidStatusLine, "empty status line") }
        let sl = String(decoding: statusLine, as: UTF8.self)
        let parts = sl.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[0].count == 8 else {
            throw HTTPResponseParseError(.invalidStatusLine, "bad status line '\(sl.prefix(80))'")
        }
        let v = Array(parts[0].utf8)
        guard v[6] == UInt8(ascii: "."), let maj = Int(String(UnicodeScalar(v[5]))), let min = Int(String(UnicodeScalar(v[7]))) else {
            throw HTTPResponseParseError(.invalidStatusLine, "bad HTTP version '\(parts[0])'")
        }
        guard maj == 1 else { throw HTTPResponseParseError(.unsupportedVersion, "unsupported version \(parts[0])") }
        guard parts[1].count == 3, let code = Int(parts[1]), code >= 100 else {
            throw HTTPResponseParseError(.invalidStatusLine, "bad status code '\(parts[1])'")
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        var headers = HTTPHeaders()
        guard lines.count - 1 <= limits.maxHeaderCount else {
            throw HTTPResponseParseError(.tooManyHeaders, "more than \(limits.maxHeaderCount) header fields")
        }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw HTTPResponseParseError(.invalidHeader, "header line without a name")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard !name.contains(" "), !name.contains("\t") else {
                throw HTTPResponseParseError(.invalidHeader, "whitespace in header name '\(name)'")
            }
            let value = Substring(String(decoding: line[(colon + 1)...], as: UTF8.self)).trimmingASCIISpaces()
            headers.add(name: name, value: String(value))
        }
        return HTTPResponseHead(version: HTTPVersion(major: maj, minor: min),
                                status: HTTPStatus(code: code, reasonPhrase: reason), headers: headers)
    }

    private mutating func chooseFraming(_ head: HTTPResponseHead) throws(HTTPResponseParseError) {
        let code = head.status.code
        if isResponseToHEAD || code == 204 || code == 304 { state = .done; return }
        let te = head.headers.values("Transfer-Encoding")
        if !te.isEmpty {
            let codings = te.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIISpaces().lowercased() }
            guard codings.last == "chunked" else {
                // Not chunked-final: body runs until close (RFC 9112 §6.3 item 4 for responses).
                keepAlive = false
                state = .untilClose
                return
            }
            guard codings.count == 1 else {
                throw HTTPResponseParseError(.unsupportedTransferEncoding, "unsupported transfer codings \(codings)")
            }
            state = .chunkSize
            return
        }
        let cl = head.headers.values("Content-Length")
        if !cl.isEmpty {
            let all = cl.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIISpaces() }
            guard let first = all.first, all.allSatisfy({ $0 == first }),
                  first.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(first) else {
                throw HTTPResponseParseError(.invalidContentLength, "invalid Content-Length \(cl)")
            }
            guard n <= limits.maxBodyBytes else { throw HTTPResponseParseError(.bodyTooLarge, "Content-Length \(n) too large") }
            state = n == 0 ? .done : .fixed(remaining: n)
            return
        }
        keepAlive = false
        state = .untilClose
    }

    private func parseChunkSize(_ s: Int, _ e: Int) throws(HTTPResponseParseError) -> Int {
        var v = 0
        var digits = 0
        var i = s
        while i < e {
            let b = buffer[i]
            let d: Int
            switch b {
            case 0x30...0x39: d = Int(b - 0x30)
            case 0x41...0x46: d = Int(b - 0x41 + 10)
            case 0x61...0x66: d = Int(b - 0x61 + 10)
            default: d = -1
            }
            if d < 0 { break }
            digits += 1
            if digits > 15 { throw HTTPResponseParseError(.invalidChunkSize, "chunk size too large") }
            v = v << 4 | d
            i += 1
        }
        guard digits > 0 else { throw HTTPResponseParseError(.invalidChunkSize, "missing chunk size") }
        // Allow whitespace and ";ext" after the size.
        while i < e, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
        guard i == e || buffer[i] == UInt8(ascii: ";") else {
            throw HTTPResponseParseError(.invalidChunkSize, "invalid chunk size line")
        }
        return v
    }
}
