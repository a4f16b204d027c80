/// Incremental, strict HTTP/1.1 request parser (RFC 9112), a pure value with no I/O.
///
/// Feed it bytes as they arrive and call `next()` until it returns nil. Every byte is scanned
/// once (the scan position survives partial lines, as picohttpparser's `last_len` does), so a
/// client dripping one byte at a time costs O(n). Limits are enforced while reading, so the parser
/// never buffers a head beyond `maxHeadSize` or a body beyond `maxBodySize`.
///
/// Rejections follow shared/docs/http-hardening.md §2.6 (the strict llhttp/NIO behaviour): bare CR
/// or LF, obs-fold, whitespace before `:`, CTL/NUL in fields, CL with TE, duplicate or
/// non-numeric CL, TE other than `chunked`, TE on 1.0, 1.1 without Host, > 16 hex digits
/// in a chunk size. After an error every later `next()` throws the same error.
public struct HTTPRequestParser {
    /// Where the parser is in the current request; lets a server pick the right timeout.
    public enum Phase: Sendable, Equatable {
        /// Between requests, no byte of the next request buffered.
        case idle
        /// Some bytes of a request head have arrived.
        case head
        /// The head is complete; body bytes are pending.
        case body
    }

    enum State {
        case requestLine(emptyLines: Int)
        case headers
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case complete
    }

    public let limits: HTTPParserLimits

    var buffer: [UInt8] = []
    /// Index of the first unconsumed byte in `buffer`; lines always begin here.
    var start = 0
    /// Bytes after `start` already scanned without finding a line end.
    var scanned = 0
    var state: State = .requestLine(emptyLines: 0)
    var failure: HTTPParseError?
    var builder = HeadBuilder()
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var trailerBytes = 0
    /// Bytes of chunk-size lines and chunk CRLFs in the current body.
    var chunkOverhead = 0

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Unconsumed bytes held by the parser (a partial request, or pipelined requests not yet taken).
    public var bufferedByteCount: Int { buffer.count - start }

    /// The current phase (see `Phase`).
    public var phase: Phase {
        switch state {
        case .requestLine: return buffer.count > start ? .head : .idle
        case .headers: return .head
        default: return .body
        }
    }

    /// Appends received bytes. Cheap; parsing happens in `next()`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        var bytes = bytes
        // Body bytes with nothing buffered go straight into the body (one copy instead of two).
        if start == buffer.count, case .body(let remaining) = state {
            let n = Swift.min(remaining, bytes.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<n]))
            state = .body(remaining: remaining - n)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[n...])
            if bytes.isEmpty { return }
        }
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    /// Appends received bytes.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        if let failure { throw failure }
        do {
            let event = try step()
            compact()
            return event
        } catch {
            failure = error
            buffer = []
            start = 0
            throw error
        }
    }

    mutating func compact() {
        if start == buffer.count {
            // Keep a small buffer for the next request; give large ones (bodies, floods) back.
            if start > 0 { buffer.removeAll(keepingCapacity: buffer.capacity <= 4096) }
            start = 0
        } else if start >= 16 * 1024 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        while true {
            switch state {
            case .requestLine(let emptyLines):
                let max = Swift.min(limits.maxRequestLineLength, limits.maxHeadSize)
                guard let end = try findLine(maxLength: max, tooLong: .requestLineTooLong, requestLine: true) else { return nil }
                if end == start {
                    start = end + 2
                    guard emptyLines < limits.maxLeadingEmptyLines else {
                        throw HTTPParseError(.tooManyEmptyLines, "too many empty lines before the request line")
                    }
                    state = .requestLine(emptyLines: emptyLines + 1)
                    continue
                }
                builder = HeadBuilder()
                try HTTPRequestParser.withLine(buffer, start, end) { (line) throws(HTTPParseError) in try builder.parseRequestLine(line) }
                builder.headBytes = end - start + 2
                start = end + 2
                state = .headers
            case .headers:
                let max = limits.maxHeadSize - builder.headBytes - 2
                guard let end = try findLine(maxLength: max, tooLong: .headTooLarge, requestLine: false) else { return nil }
                builder.headBytes += end - start + 2
                if end == start {
                    start = end + 2
                    let head = try builder.finish(limits: limits)
                    self.head = head
                    body = []
                    if head.isChunked {
                        chunkOverhead = 0
                        state = .chunkSize
                    } else if let length = head.contentLength, length > 0 {
                        body.reserveCapacity(Swift.min(length, 256 * 1024))
                        state = .body(remaining: length)
                    } else {
                        state = .complete
                    }
                    return .head(head)
                }
                guard builder.fieldCount < limits.maxHeaderCount else {
                    throw HTTPParseError(.tooManyHeaders, "more than \(limits.maxHeaderCount) header fields")
                }
                try HTTPRequestParser.withLine(buffer, start, end) { (line) throws(HTTPParseError) in try builder.parseField(line) }
                start = end + 2
            case .body(let remaining):
                let left = takeBody(upTo: remaining)
                if left == 0 {
                    state = .complete
                } else {
                    state = .body(remaining: left)
                    return nil
                }
            case .chunkSize:
                guard let end = try findLine(maxLength: limits.maxChunkLineLength, tooLong: .invalidChunkSize, requestLine: false) else { return nil }
                let size = try HTTPRequestParser.withLine(buffer, start, end) { (line) throws(HTTPParseError) in try HTTPRequestParser.parseChunkSize(line) }
                // picohttpparser's overhead guard against floods of tiny chunks: once 100 KiB of
                // framing has been read, the payload must be at least a quarter of all bytes.
                chunkOverhead += end - start + 4
                if chunkOverhead >= 100 * 1024 && body.count < (chunkOverhead + body.count) / 4 {
                    throw HTTPParseError(.invalidChunkSize, "too much chunk framing for too little data")
                }
                start = end + 2
                if size == 0 {
                    trailerBytes = 0
                    state = .trailers
                } else {
                    guard size <= UInt64(limits.maxBodySize - body.count) else {
                        throw HTTPParseError(.bodyTooLarge, "chunked body larger than \(limits.maxBodySize) bytes")
                    }
                    state = .chunkData(remaining: Int(size))
                }
            case .chunkData(let remaining):
                let left = takeBody(upTo: remaining)
                if left == 0 {
                    state = .chunkDataEnd
                } else {
                    state = .chunkData(remaining: left)
                    return nil
                }
            case .chunkDataEnd:
                guard buffer.count - start >= 2 else {
                    if buffer.count > start && buffer[start] != ASCII.cr {
                        throw HTTPParseError(.invalidChunkTerminator, "chunk data not followed by CRLF")
                    }
                    return nil
                }
                guard buffer[start] == ASCII.cr && buffer[start + 1] == ASCII.lf else {
                    throw HTTPParseError(.invalidChunkTerminator, "chunk data not followed by CRLF")
                }
                start += 2
                state = .chunkSize
            case .trailers:
                let max = limits.maxTrailerSize - trailerBytes
                guard let end = try findLine(maxLength: max, tooLong: .trailersTooLarge, requestLine: false) else { return nil }
                trailerBytes += end - start + 2
                if end == start {
                    start = end + 2
                    state = .complete
                } else {
                    // Trailer fields are validated like header fields, then dropped.
                    var scratch = HeadBuilder()
                    try HTTPRequestParser.withLine(buffer, start, end) { (line) throws(HTTPParseError) in try scratch.parseField(line, store: false) }
                    start = end + 2
                }
            case .complete:
                state = .requestLine(emptyLines: 0)
                let request = HTTPRequest(head: head!, body: body)
                head = nil
                body = []
                return .request(request)
            }
        }
    }

    /// Moves up to `remaining` buffered bytes into `body` (fixed-length bodies and chunk data alike);
    /// returns how many are still expected.
    private mutating func takeBody(upTo remaining: Int) -> Int {
        let n = Swift.min(remaining, buffer.count - start)
        if n > 0 {
            body.append(contentsOf: buffer[start..<start + n])
            start += n
        }
        return remaining - n
    }

    /// Runs `body` on the bytes `start..<end` of `buffer` (a copy of the parser's buffer reference,
    /// so `body` may mutate the parser).
    static func withLine<R>(_ buffer: [UInt8], _ start: Int, _ end: Int,
                            _ body: (UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> R) throws(HTTPParseError) -> R {
        try buffer.withUnsafeBufferPointer { (p) throws(HTTPParseError) -> R in
            try body(UnsafeBufferPointer(rebasing: p[start..<end]))
        }
    }

    /// Finds the CRLF ending the line that begins at `start`; returns the index of its CR, or nil
    /// if more bytes are needed. Throws on a bare CR or LF, on a line longer than `maxLength`
    /// and (for the request line) on any CTL byte, so TLS or binary garbage fails at once.
    mutating func findLine(maxLength: Int, tooLong: HTTPParseError.Kind, requestLine: Bool) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        var i = start + scanned
        let s = start
        let result: Int? = try buffer.withUnsafeBufferPointer { (p) throws(HTTPParseError) -> Int? in
            while i < count {
                let b = p[i]
                if b == ASCII.cr {
                    guard i + 1 < count else { return nil }
                    guard p[i + 1] == ASCII.lf else { throw HTTPParseError(.bareCR, "bare CR in the request head") }
                    return i
                }
                if b == ASCII.lf { throw HTTPParseError(.bareLF, "bare LF in the request head") }
                if requestLine && (b < 0x20 || b == 0x7F) {
                    throw HTTPParseError(.invalidRequestLine, "control byte in the request line (TLS or binary data on a plain HTTP port?)")
                }
                i += 1
                if i - s > maxLength { break }
            }
            return nil
        }
        if let result {
            scanned = 0
            if result - s > maxLength { throw HTTPRequestParser.tooLongError(tooLong, limits) }
            return result
        }
        if i - s > maxLength { throw HTTPRequestParser.tooLongError(tooLong, limits) }
        scanned = i - s
        return nil
    }

    static func tooLongError(_ kind: HTTPParseError.Kind, _ limits: HTTPParserLimits) -> HTTPParseError {
        switch kind {
        case .requestLineTooLong: return HTTPParseError(kind, "request line longer than \(limits.maxRequestLineLength) bytes")
        case .headTooLarge: return HTTPParseError(kind, "request head larger than \(limits.maxHeadSize) bytes")
        case .trailersTooLarge: return HTTPParseError(kind, "trailer section larger than \(limits.maxTrailerSize) bytes")
        default: return HTTPParseError(kind, "chunk-size line longer than \(limits.maxChunkLineLength) bytes")
        }
    }

    /// Parses `chunk-size [ BWS ; chunk-ext ]`: 1...16 hex digits (more would overflow 64 bits).
    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> UInt64 {
        var value: UInt64 = 0
        var i = 0
        while i < line.count, let digit = ASCII.hexValue(line[i]) {
            guard i < 16 else { throw HTTPParseError(.invalidChunkSize, "chunk size has more than 16 hex digits") }
            value = value << 4 | digit
            i += 1
        }
        guard i > 0 else { throw HTTPParseError(.invalidChunkSize, "chunk size is not a hex number") }
        while i < line.count && (line[i] == ASCII.sp || line[i] == ASCII.htab) { i += 1 }
        if i < line.count {
            guard line[i] == ASCII.semicolon else { throw HTTPParseError(.invalidChunkSize, "unexpected byte after the chunk size") }
            for j in (i + 1)..<line.count where !ASCII.isFieldValueByte(line[j]) {
                throw HTTPParseError(.invalidChunkSize, "control byte in a chunk extension")
            }
        }
        return value
    }
}
