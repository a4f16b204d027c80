import HTTPCore
@testable import NetIO
import Synchronization

/// Starts a server on port 0 with `handler` (and `errorRenderer`), runs `body` with its port, then shuts it down.
func withTestServer(_ configuration: ServerConfiguration = ServerConfiguration(port: 0, eventLoopCount: 2),
                    handler: any HTTPRequestHandler = TestHandler(), errorRenderer: HTTPErrorRenderer = .plainText,
                    _ body: (HTTPServer, Int) async throws -> Void) async throws {
    var config = configuration
    config.port = 0
    let server = try HTTPServer(configuration: config, handler: handler, errorRenderer: errorRenderer)
    let port = try server.start()
    do {
        try await body(server, port)
    } catch {
        await server.shutdown(drainTimeout: .milliseconds(100))
        throw error
    }
    await server.shutdown(drainTimeout: .milliseconds(500))
}

/// Routes used by the live tests.
/// - `/echo`: 200 with the request body, `X-Method`, `X-Path`, `X-Query`, `X-Version` headers.
/// - `/stream?n=K`: a streamed response of K events `data: i\n\n`.
/// - `/hold`: parks the responder in `parked` for the test to drive.
final class TestHandler: HTTPRequestHandler, @unchecked Sendable {
    let parked = Locked<[HTTPResponder]>([])
    let parkedSignal = AsyncQueue<HTTPResponder>()

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        switch request.head.path {
        case "/echo":
            responder.send(status: 200, headers: [
                ("Content-Type", "application/octet-stream"),
                ("X-Method", request.head.method),
                ("X-Path", request.head.path),
                ("X-Query", request.head.query ?? ""),
                ("X-Version", "\(request.head.version)"),
            ], body: request.body)
        case "/stream":
            let n = Int(request.head.query?.split(separator: "=").last ?? "3") ?? 3
            responder.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            for i in 0..<n { responder.write(Array("data: \(i)\n\n".utf8)) }
            responder.finish()
        case "/hold":
            parked.withLock { $0.append(responder) }
            parkedSignal.push(responder)
        default:
            responder.send(status: 404, headers: [("Content-Type", "text/plain")], body: Array("not found".utf8))
        }
    }
}

/// An unbounded async queue: `push` from any thread, `next()` awaits an element.
final class AsyncQueue<T: Sendable>: @unchecked Sendable {
    private let lock = Locked<([T], [CheckedContinuation<T, Never>])>(([], []))

    func push(_ value: T) {
        let waiter: CheckedContinuation<T, Never>? = lock.withLock { state in
            if state.1.isEmpty {
                state.0.append(value)
                return nil
            }
            return state.1.removeFirst()
        }
        waiter?.resume(returning: value)
    }

    func next() async -> T {
        await withCheckedContinuation { continuation in
            let value: T? = lock.withLock { state in
                if state.0.isEmpty {
                    state.1.append(continuation)
                    return nil
                }
                return state.0.removeFirst()
            }
            if let value { continuation.resume(returning: value) }
        }
    }
}
