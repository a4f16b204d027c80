import HTTPCore

/// The seam between the transport and the application (as Hummingbird's `HTTPChannelHandler.Responder`).
///
/// `handle` is called on the connection's event-loop thread, once per request, in request order;
/// it must not block. Answer through `responder`, now or later from any thread; the next pipelined
/// request on the connection waits until this response is finished.
public protocol HTTPRequestHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}
