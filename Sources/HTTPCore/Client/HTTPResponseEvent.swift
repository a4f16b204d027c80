/// What the response parser produces, in order: `.head`, zero or more `.body`, then `.end`.
public enum HTTPResponseEvent: Sendable, Equatable {
    case head(HTTPResponseHead)
    /// Decoded body bytes (chunk framing removed), exactly as they arrived in this read.
    case body([UInt8])
    /// The response is complete; `keepAlive` tells whether the connection may carry another request.
    case end(keepAlive: Bool)

    public static func == (a: HTTPResponseEvent, b: HTTPResponseEvent) -> Bool {
        switch (a, b) {
        case let (.head(x), .head(y)):
            return x.status == y.status && x.version == y.version
                && x.headers.fields.elementsEqual(y.headers.fields, by: { $0.name == $1.name && $0.value == $1.value })
        case let (.body(x), .body(y)): return x == y
        case let (.end(x), .end(y)): return x == y
        default: return false
        }
    }
}
