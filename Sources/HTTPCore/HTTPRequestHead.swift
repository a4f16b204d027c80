/// A parsed request line and header section.
public struct HTTPRequestHead: Sendable {
    /// The method token exactly as sent (case-sensitive, RFC 9110 §9.1), e.g. `POST`.
    public var method: String
    /// The request-target exactly as sent, e.g. `/v1/models?x=1`.
    public var target: String
    /// The path part of the target (before `?`); for absolute-form targets the path after the authority, `/` if empty.
    public var path: String
    /// The query after `?` (without the `?`), or nil if there was none.
    public var query: String?
    /// The protocol version (1.0 or 1.1; the parser rejects others with 505).
    public var version: HTTPVersion
    /// Header fields in wire order.
    public var headers: HTTPHeaders
    /// Whether the connection may stay open after this request (1.1 unless `Connection: close`; 1.0 only with `Connection: keep-alive`).
    public var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` (HTTP/1.1 only).
    public var expectsContinue: Bool
    /// The declared `Content-Length`, nil for chunked or bodiless requests.
    public var contentLength: Int?
    /// Whether the body uses `Transfer-Encoding: chunked`.
    public var isChunked: Bool

    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
                keepAlive: Bool = true, expectsContinue: Bool = false, contentLength: Int? = nil, isChunked: Bool = false) {
        self.method = method
        self.target = target
        let (path, query) = HTTPRequestHead.splitTarget(target)
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.contentLength = contentLength
        self.isChunked = isChunked
    }

    /// Memberwise initialiser used by the parser (path and query already split).
    init(method: String, target: String, path: String, query: String?, version: HTTPVersion, headers: HTTPHeaders, keepAlive: Bool) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = false
        self.contentLength = nil
        self.isChunked = false
    }

    /// Splits a request-target into path and query; absolute-form (`http://host/p?q`) yields `/p`, `q`.
    public static func splitTarget(_ target: String) -> (path: String, query: String?) {
        let bytes = Array(target.utf8)
        var s = 0
        if bytes.first != UInt8(ascii: "/") {
            // absolute-form: skip "scheme://authority"
            var i = 0
            while i + 2 < bytes.count && !(bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/")) { i += 1 }
            if i + 2 < bytes.count {
                s = i + 3
                while s < bytes.count && bytes[s] != UInt8(ascii: "/") && bytes[s] != UInt8(ascii: "?") { s += 1 }
            }
        }
        var q = s
        while q < bytes.count && bytes[q] != UInt8(ascii: "?") { q += 1 }
        let path = q > s ? String(decoding: bytes[s..<q], as: UTF8.self) : "/"
        let query = q < bytes.count ? String(decoding: bytes[(q + 1)...], as: UTF8.self) : nil
        return (path, query)
    }
}
