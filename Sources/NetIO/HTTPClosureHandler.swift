import HTTPCore

/// An `HTTPRequestHandler` made from a closure.
public struct HTTPClosureHandler: HTTPRequestHandler {
    let body: @Sendable (HTTPRequest, HTTPResponder) -> Void

    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void) {
        self.body = body
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        body(request, responder)
    }
}
