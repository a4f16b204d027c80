/// Accumulates one request head while the parser reads it line by line, and applies the
/// framing rules of RFC 9112 §6 (strict variant, shared/docs/http-hardening.md §2.6).
struct HeadBuilder {
    var method = ""
    var target = ""
    var path = ""
    var query: String?
    var version = HTTPVersion.http1_1
    var fields: [(name: String, value: String)] = []
    var fieldCount = 0
    var headBytes = 0
    var contentLength: Int?
    var sawTransferEncoding = false
    var chunked = false
    var hostCount = 0
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false

    /// Methods this server recognises (RFC 9110 §9 plus PATCH). Anything else: 501.
    static func isKnownMethod(_ m: UnsafeBufferPointer<UInt8>) -> Bool {
        func eq(_ s: StaticString) -> Bool {
            guard m.count == s.utf8CodeUnitCount else { return false }
            let p = s.utf8Start
            for i in 0..<m.count where m[i] != p[i] { return false }
            return true
        }
        switch m.count {
        case 3: return eq("GET") || eq("PUT")
        case 4: return eq("POST") || eq("HEAD")
        case 5: return eq("PATCH") || eq("TRACE")
        case 6: return eq("DELETE")
        case 7: return eq("OPTIONS") || eq("CONNECT")
        default: return false
        }
    }

    /// `method SP request-target SP HTTP-version`, single spaces only.
    mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var i = 0
        while i < line.count && ASCII.isTchar(line[i]) { i += 1 }
        guard i > 0, i < line.count, line[i] == ASCII.sp else {
            throw HTTPParseError(.invalidRequestLine, "malformed method in the request line")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<i])
        i += 1
        let targetStart = i
        var queryStart = -1
        while i < line.count && ASCII.isTargetByte(line[i]) {
            if line[i] == ASCII.question && queryStart < 0 { queryStart = i }
            i += 1
        }
        guard i > targetStart, i < line.count, line[i] == ASCII.sp else {
            throw HTTPParseError(.invalidRequestLine, "malformed request target")
        }
        let targetEnd = i
        i += 1
        let v = UnsafeBufferPointer(rebasing: line[i...])
        guard v.count == 8, v[0] == UInt8(ascii: "H"), v[1] == UInt8(ascii: "T"), v[2] == UInt8(ascii: "T"),
              v[3] == UInt8(ascii: "P"), v[4] == ASCII.slash, v[6] == UInt8(ascii: "."),
              (0x30...0x39).contains(v[5]), (0x30...0x39).contains(v[7]) else {
            throw HTTPParseError(.invalidRequestLine, "malformed HTTP version")
        }
        let major = Int(v[5] - 0x30), minor = Int(v[7] - 0x30)
        guard major == 1, minor <= 1 else {
            throw HTTPParseError(.unsupportedVersion, "HTTP/\(major).\(minor) is not supported; use HTTP/1.1")
        }
        version = HTTPVersion(major: 1, minor: minor)
        guard HeadBuilder.isKnownMethod(methodBytes) else {
            throw HTTPParseError(.unknownMethod, "unknown method")
        }
        method = String(decoding: methodBytes, as: UTF8.self)
        let first = line[targetStart]
        let targetBytes = UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd])
        target = String(decoding: targetBytes, as: UTF8.self)
        if first == ASCII.slash {
            if queryStart >= 0 {
                path = String(decoding: UnsafeBufferPointer(rebasing: line[targetStart..<queryStart]), as: UTF8.self)
                query = String(decoding: UnsafeBufferPointer(rebasing: line[(queryStart + 1)..<targetEnd]), as: UTF8.self)
            } else {
                path = target
                query = nil
            }
        } else if targetBytes.count == 1 && first == UInt8(ascii: "*") {
            path = "*"
            query = nil
        } else if target.hasPrefix("http://") || target.hasPrefix("https://") {
            (path, query) = HTTPRequestHead.splitTarget(target)
        } else {
            throw HTTPParseError(.invalidRequestLine, "request target must be origin-form, absolute-form or *")
        }
    }

    /// `field-name ":" OWS field-value OWS`. Validates, then records framing headers.
    mutating func parseField(_ line: UnsafeBufferPointer<UInt8>, store: Bool = true) throws(HTTPParseError) {
        let first = line[0]
        if first == ASCII.sp || first == ASCII.htab {
            throw HTTPParseError(.obsFold, "obsolete line folding (a header line starting with whitespace)")
        }
        var i = 0
        while i < line.count && ASCII.isTchar(line[i]) { i += 1 }
        guard i < line.count else { throw HTTPParseError(.invalidHeaderName, "header line without a colon") }
        if line[i] != ASCII.colon {
            if line[i] == ASCII.sp || line[i] == ASCII.htab {
                throw HTTPParseError(.whitespaceBeforeColon, "whitespace between a header name and the colon")
            }
            throw HTTPParseError(.invalidHeaderName, "invalid byte in a header name")
        }
        guard i > 0 else { throw HTTPParseError(.invalidHeaderName, "empty header name") }
        let name = UnsafeBufferPointer(rebasing: line[0..<i])
        var vs = i + 1
        var ve = line.count
        while vs < ve && (line[vs] == ASCII.sp || line[vs] == ASCII.htab) { vs += 1 }
        while ve > vs && (line[ve - 1] == ASCII.sp || line[ve - 1] == ASCII.htab) { ve -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[vs..<ve])
        for b in value where !ASCII.isFieldValueByte(b) {
            throw HTTPParseError(.invalidHeaderValue, "control or NUL byte in a header value")
        }
        fieldCount += 1
        guard store else { return }
        try recordFraming(name: name, value: value)
        if fields.isEmpty { fields.reserveCapacity(8) }   // one allocation for a typical head, not four
        fields.append((name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
    }

    mutating func recordFraming(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        switch name.count {
        case 4 where ASCII.equalsLowercase(name, "host"):
            hostCount += 1
            guard hostCount == 1 else { throw HTTPParseError(.duplicateHost, "more than one Host header") }
        case 6 where ASCII.equalsLowercase(name, "expect"):
            if ASCII.equalsLowercase(value, "100-continue") { expectContinue = true }
        case 10 where ASCII.equalsLowercase(name, "connection"):
            HeadBuilder.forEachToken(value) { token in
                if ASCII.equalsLowercase(token, "close") { connectionClose = true }
                if ASCII.equalsLowercase(token, "keep-alive") { connectionKeepAlive = true }
            }
        case 14 where ASCII.equalsLowercase(name, "content-length"):
            guard contentLength == nil else {
                throw HTTPParseError(.duplicateContentLength, "more than one Content-Length header")
            }
            guard !value.isEmpty, value.count <= 19 else {
                throw HTTPParseError(.invalidContentLength, "Content-Length is not a number of at most 19 digits")
            }
            var n = 0
            for b in value {
                guard b >= 0x30 && b <= 0x39 else {
                    throw HTTPParseError(.invalidContentLength, "Content-Length is not a plain decimal number")
                }
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(b - 0x30))
                guard !o1 && !o2 else { throw HTTPParseError(.invalidContentLength, "Content-Length overflows") }
                n = s
            }
            contentLength = n
        case 17 where ASCII.equalsLowercase(name, "transfer-encoding"):
            guard !sawTransferEncoding else {
                throw HTTPParseError(.duplicateTransferEncoding, "more than one Transfer-Encoding header")
            }
            sawTransferEncoding = true
            var tokens = 0
            var lastIsChunked = false
            HeadBuilder.forEachToken(value) { token in
                tokens += 1
                lastIsChunked = ASCII.equalsLowercase(token, "chunked")
            }
            if tokens == 1 && lastIsChunked {
                chunked = true
            } else if lastIsChunked {
                throw HTTPParseError(.unsupportedTransferEncoding, "only Transfer-Encoding: chunked is supported")
            } else {
                throw HTTPParseError(.invalidTransferEncoding, "a request Transfer-Encoding must end in chunked")
            }
        default:
            break
        }
    }

    /// Calls `body` for each comma-separated token of a list value, trimmed of OWS; empty elements skipped.
    static func forEachToken(_ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var i = 0
        while i < value.count {
            var j = i
            while j < value.count && value[j] != UInt8(ascii: ",") { j += 1 }
            var s = i, e = j
            while s < e && (value[s] == ASCII.sp || value[s] == ASCII.htab) { s += 1 }
            while e > s && (value[e - 1] == ASCII.sp || value[e - 1] == ASCII.htab) { e -= 1 }
            if e > s { body(UnsafeBufferPointer(rebasing: value[s..<e])) }
            i = j + 1
        }
    }

    /// Applies the message-level rules and builds the head.
    func finish(limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPRequestHead {
        let isHTTP11 = version.minor == 1
        if isHTTP11 && hostCount == 0 { throw HTTPParseError(.missingHost, "HTTP/1.1 request without a Host header") }
        if sawTransferEncoding && contentLength != nil {
            throw HTTPParseError(.contentLengthWithTransferEncoding, "Content-Length together with Transfer-Encoding")
        }
        if sawTransferEncoding && !isHTTP11 {
            throw HTTPParseError(.transferEncodingOnHTTP10, "Transfer-Encoding on an HTTP/1.0 request")
        }
        if let contentLength, contentLength > limits.maxBodySize {
            throw HTTPParseError(.bodyTooLarge, "request body larger than \(limits.maxBodySize) bytes")
        }
        var head = HTTPRequestHead(method: method, target: target, path: path, query: query, version: version,
                                   headers: HTTPHeaders(fields: fields), keepAlive: false)
        head.keepAlive = isHTTP11 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        head.expectsContinue = isHTTP11 && expectContinue
        head.contentLength = chunked ? nil : contentLength
        head.isChunked = chunked
        return head
    }
}
