import HTTPCore
import NetIO

/// An in-test OpenAI-style server on NetIO's `HTTPServer` (127.0.0.1, port 0, one event loop) that
/// streams like vLLM: a role chunk, `tokens` single-token chunks `gapMicros` apart, a usage chunk,
/// `data: [DONE]`, chunked transfer encoding, keep-alive. Also answers `GET /v1/models`. Requests
/// whose body contains "FAIL" get `500 Internal Server Error`; other paths get 404.
final class MockSSEServer: Sendable {
    let port: Int
    private let server: HTTPServer

    init(tokens: Int = 4, gapMicros: UInt32 = 2000) throws {
        let handler = HTTPClosureHandler { request, responder in
            Self.respond(to: request, responder, tokens: tokens, gap: .microseconds(gapMicros))
        }
        server = try HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
                                handler: handler)
        port = try server.start()
    }

    /// Starts the shutdown (listening socket closed at once, connections closed without draining).
    func stop() {
        let server = self.server
        Task { await server.shutdown(drainTimeout: .zero) }
    }

    private static func respond(to request: HTTPRequest, _ responder: HTTPResponder, tokens: Int, gap: Duration) {
        let head = request.head
        if head.method == "GET" && head.path == "/v1/models" {
            let j = #"{"object":"list","data":[{"id":"mock-model","object":"model","root":"mock/tokenizer"}]}"#
            responder.send(status: 200, headers: [("Content-Type", "application/json")], body: Array(j.utf8))
            return
        }
        guard head.method == "POST", head.path == "/v1/chat/completions" || head.path == "/v1/completions" else {
            responder.send(status: 404)
            return
        }
        if String(decoding: request.body, as: UTF8.self).contains("FAIL") {
            responder.send(status: 500, body: Array("{}".utf8))
            return
        }
        func event(_ json: String) -> [UInt8] { Array("data: \(json)\n\n".utf8) }
        responder.startStream(status: 200, headers: [("content-type", "text/event-stream; charset=utf-8")])
        responder.write(event(#"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#))
        Task {
            for k in 0..<tokens {
                try? await Task.sleep(for: gap)   // the simulated decode step between tokens
                responder.write(event(#"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"t\#(k) "},"finish_reason":null}]}"#))
            }
            responder.write(event(#"{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":111,"completion_tokens":\#(tokens),"total_tokens":\#(111 + tokens)}}"#))
            responder.write(Array("data: [DONE]\n\n".utf8))
            responder.finish()
        }
    }
}
