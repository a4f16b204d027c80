/// A parsed response status line and header section.
public struct HTTPResponseHead: Sendable {
    public var version: HTTPVersion
    /// Status code and the reason phrase as received.
    public var status: HTTPStatus
    public var headers: HTTPHeaders

    public init(version: HTTPVersion, status: HTTPStatus, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.headers = headers
    }

    /// Whether the server lets the connection be reused after this response: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive` (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let tokens = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIISpaces().lowercased() }
        if tokens.contains("close") { return false }
        if version.major == 1 && version.minor == 0 { return tokens.contains("keep-alive") }
        return true
    }
}

extension Substring {
    func trimmingASCIISpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
