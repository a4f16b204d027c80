/// A complete request: head plus the de-framed body (chunked bodies are decoded; trailers are dropped).
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The body bytes (empty if there was no body).
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}
