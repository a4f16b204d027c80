import HTTPCore

/// Renders the body of the responses the transport sends by itself, without asking the handler:
/// a framing error (400, 413, 414, 431, 501, 505), a request timeout (408) and the connection cap
/// (503). The transport knows no application format; the application passes its own renderer to
/// `HTTPServer` (VLServeKit's is OpenAI's error envelope). The default, `plainText`, is the message
/// as `text/plain`.
public struct HTTPErrorRenderer: Sendable {
    /// A rendered error body and its media type.
    public struct Body: Sendable, Equatable {
        /// The `Content-Type` value, e.g. `application/json`. A value with CR, LF or another control
        /// byte is not written (see `HTTPResponseWriter.writeField`).
        public var contentType: String
        public var bytes: [UInt8]

        public init(contentType: String, bytes: [UInt8]) {
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    private let body: @Sendable (HTTPStatus, String) -> Body

    /// - Parameter body: given the status and a human-readable reason (e.g. "request head larger than
    ///   32768 bytes"), returns the body. Called on a loop thread: keep it short and non-blocking.
    public init(_ body: @escaping @Sendable (_ status: HTTPStatus, _ message: String) -> Body) {
        self.body = body
    }

    /// The body for `status` with `message`.
    public func render(status: HTTPStatus, message: String) -> Body {
        body(status, message)
    }

    /// `text/plain; charset=utf-8` with the message and a newline. The default.
    public static let plainText = HTTPErrorRenderer { _, message in
        Body(contentType: "text/plain; charset=utf-8", bytes: Array((message + "\n").utf8))
    }

    /// Appends a whole error response to `out`: the status line, `Content-Type`, `extraHeaders`,
    /// `Content-Length` and `Connection: close` (the transport closes after each of its own errors), then the body.
    func writeResponse(status: HTTPStatus, message: String, extraHeaders: [(String, String)] = [],
                       into out: inout [UInt8]) {
        let body = render(status: status, message: message)
        HTTPResponseWriter.writeStatusLine(version: .http1_1, status: status, into: &out)
        HTTPResponseWriter.writeField(name: "Content-Type", value: body.contentType, into: &out)
        for (name, value) in extraHeaders { HTTPResponseWriter.writeField(name: name, value: value, into: &out) }
        HTTPResponseWriter.writeFraming(.contentLength(body.bytes.count), version: .http1_1, keepAlive: false, into: &out)
        out.append(0x0D)
        out.append(0x0A)
        out.append(contentsOf: body.bytes)
    }
}
