/// An outbound HTTP/1.1 request and its serialisation.
public struct HTTPClientRequest: Sendable {
    /// Method token, e.g. "GET", "POST".
    public var method: String
    /// Origin-form target, e.g. "/v1/chat/completions".
    public var target: String
    /// Extra header fields; `Host` and `Content-Length` are added by `serialize` when absent.
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// Wire bytes: request line, `Host: host`, the headers (CR/LF stripped from names and values),
    /// `Content-Length` for bodies and POST/PUT/PATCH, blank line, body.
    public func serialize(host: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + body.count + headers.count * 32)
        func clean(_ s: String) -> String { String(s.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }) }
        out.append(contentsOf: "\(method) \(target) HTTP/1.1\r\n".utf8)
        if !headers.contains("Host") { out.append(contentsOf: "Host: \(clean(host))\r\n".utf8) }
        for f in headers {
            out.append(contentsOf: clean(f.name).utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: clean(f.value).utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let needsLength = !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)
        if needsLength && !headers.contains("Content-Length") {
            out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}
