// `HTTPResponseHead` (version, status, headers) is defined in Client/HTTPResponseHead.swift and
// shared by the server's writer and the client's parser.

/// How a response body is delimited on the wire (RFC 9112 §6).
public enum HTTPResponseFraming: Sendable, Equatable {
    /// `Content-Length: n`.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked` (HTTP/1.1 only).
    case chunked
    /// No length: the body ends when the connection closes (HTTP/1.0 streams).
    case closeDelimited
    /// No body and no length field (1xx, 204, 304).
    case none
}
