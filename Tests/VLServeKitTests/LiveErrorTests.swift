import Engine
import Foundation
import NetIO
import OpenAIAPI
import Testing
import VisionCore
@testable import VLServeKit

@Suite struct LiveErrorTests {
    func expectError(_ response: TestResponse, status: Int, type: String, param: String? = nil, code: String? = nil,
                     messageContains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        let error = try response.json()["error"]
        #expect(error?["type"] == .string(type), sourceLocation: sourceLocation)
        if let param { #expect(error?["param"] == .string(param), sourceLocation: sourceLocation) }
        if let code { #expect(error?["code"] == .string(code), sourceLocation: sourceLocation) }
        if let messageContains {
            #expect(error?["message"]?.stringValue?.contains(messageContains) == true, "\(response.text)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func requestErrorsBeforeTheStream() async throws {
        try await withServer(app: AppConfiguration(servedModelNames: ["test-vlm"], maxModelLen: 300,
                                                                   maxImagesPerPrompt: 1)) { server, port in
            let stream = ",\"stream\":true"
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: "{\"messages\": [}"),
                            status: 400, type: "invalid_request_error", messageContains: "JSON")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(model: "gpt-9", extra: stream)),
                            status: 404, type: "invalid_request_error", param: "model", code: "model_not_found")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["data:image/png;base64,aGVsbG8="], extra: stream)),
                            status: 400, type: "invalid_request_error", param: "messages[0].content[0].image_url.url",
                            messageContains: "Could not decode the image")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["ftp://example.com/cat.png"], extra: stream)),
                            status: 400, type: "invalid_request_error", messageContains: "HTTP, data or file URL")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["http://example.com/cat.png"], extra: stream)),
                            status: 400, type: "invalid_request_error", messageContains: "--allowed-media-domains")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["file:///etc/passwd"], extra: stream)),
                            status: 400, type: "invalid_request_error", messageContains: "--allowed-local-media-path")
            let image = try jpegDataURL()
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(images: [image, image], extra: stream)),
                            status: 400, type: "invalid_request_error", param: "messages", messageContains: "At most 1 image(s)")
            // 448×448 → 256 image tokens + template > 300 - 100.
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: [try jpegDataURL(width: 448, height: 448)],
                                                             extra: ",\"max_tokens\":100" + stream)),
                            status: 400, type: "invalid_request_error", code: "context_length_exceeded")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(extra: ",\"max_tokens\":301")),
                            status: 400, type: "invalid_request_error", param: "max_tokens")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(extra: ",\"n\":2")),
                            status: 400, type: "invalid_request_error", param: "n")
            try expectError(try await request(port, "GET", "/v1/nothing"), status: 404, type: "invalid_request_error")
            let wrongMethod = try await request(port, "GET", "/v1/chat/completions")
            try expectError(wrongMethod, status: 405, type: "invalid_request_error")
            #expect(wrongMethod.headers["Allow"] == "POST")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(),
                                              headers: [("Content-Type", "text/plain")]),
                            status: 400, type: "invalid_request_error", messageContains: "Content-Type")
            #expect(server.engine.counters.submitted == 0)
        }
    }

    /// Model, image count, sampling and context length are checked before any image is fetched: an image host that
    /// counts its requests sees none for requests rejected by those checks, an undecodable image does not mask the
    /// `max_tokens` error, and no image of a rejected request reaches the image pipeline (whose image-cache lookup,
    /// before any decoding, counts every image it is given).
    @Test func cheapChecksRunBeforeAnyImageWork() async throws {
        let jpeg = try JPEGEncoder.encode(RGBImage(width: 56, height: 56, fill: (10, 200, 10)))
        let fetches = Locked(0)
        let host = try HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
                                  handler: HTTPClosureHandler { _, responder in
                                      fetches.withLock { $0 += 1 }
                                      responder.send(status: 200, headers: [("Content-Type", "image/jpeg")], body: jpeg)
                                  })
        let hostPort = try host.start()
        let url = "http://127.0.0.1:\(hostPort)/cat.jpg"
        let media = MediaOptions(allowedMediaDomains: ["127.0.0.1"], fetchTimeoutSeconds: 5)
        try await withServer(app: AppConfiguration(servedModelNames: ["test-vlm"], maxModelLen: 300, maxImagesPerPrompt: 1,
                                                   media: media)) { server, port in
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: [url], extra: ",\"max_tokens\":301,\"stream\":true")),
                            status: 400, type: "invalid_request_error", param: "max_tokens",
                            messageContains: "max_tokens=301 cannot be greater than max_model_len=300")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: [url], extra: ",\"max_completion_tokens\":299")),
                            status: 400, type: "invalid_request_error", param: "messages", code: "context_length_exceeded",
                            messageContains: "before its 1 image(s) are counted")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: [url], text: String(repeating: "word ", count: 400))),
                            status: 400, type: "invalid_request_error", param: "messages", code: "context_length_exceeded",
                            messageContains: "Please reduce the length of the input prompt.")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(images: [url], model: "gpt-9")),
                            status: 404, type: "invalid_request_error", param: "model", code: "model_not_found")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(images: [url, url])),
                            status: 400, type: "invalid_request_error", param: "messages", messageContains: "At most 1 image(s)")
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: [url], extra: ",\"temperature\":-1")),
                            status: 400, type: "invalid_request_error", param: "temperature")
            // An image that would fail to decode: the max_tokens error comes first.
            try expectError(try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["data:image/png;base64,aGVsbG8="],
                                                             extra: ",\"max_tokens\":301")),
                            status: 400, type: "invalid_request_error", param: "max_tokens")
            #expect(fetches.withLock { $0 } == 0)
            #expect(server.engine.counters.submitted == 0)
            let queries = "vllm:mm_cache_queries_total{model_name=\"test-vlm\",engine=\"0\"} "
            #expect(try await request(port, "GET", "/metrics").text.contains(queries + "0.0\n"))
            // The same image with a request that passes the checks is fetched once, goes through the pipeline and is served.
            let ok = try await request(port, "POST", "/v1/chat/completions", body: chatBody(images: [url], extra: ",\"max_tokens\":2"))
            #expect(ok.status == 200, "\(ok.text)")
            #expect(fetches.withLock { $0 } == 1)
            #expect(try await request(port, "GET", "/metrics").text.contains(queries + "1.0\n"))
        }
        await host.shutdown(drainTimeout: .seconds(1))
    }

    @Test func apiKeyGuardsTheAPI() async throws {
        try await withServer(app: AppConfiguration(servedModelNames: ["test-vlm"], apiKeys: ["sk-good"])) { server, port in
            try expectError(try await request(port, "GET", "/v1/models"), status: 401, type: "authentication_error",
                            code: "invalid_api_key")
            try expectError(try await request(port, "POST", "/v1/chat/completions", body: chatBody(),
                                              headers: [("Authorization", "Bearer sk-bad")]),
                            status: 401, type: "authentication_error", code: "invalid_api_key")
            #expect(try await request(port, "GET", "/v1/models", headers: [("Authorization", "bearer sk-good")]).status == 200)
            #expect(try await request(port, "GET", "/health").status == 200)
            #expect(try await request(port, "GET", "/metrics").status == 200)
        }
    }

    @Test func fullQueueIsA503WithRetryAfter() async throws {
        try await withServer(engine: EngineConfiguration(modelName: "test-vlm", maxWaitingRequests: 0,
                                                                         costModel: .zero)) { server, port in
            let response = try await request(port, "POST", "/v1/chat/completions", body: chatBody())
            try expectError(response, status: 503, type: "service_unavailable")
            #expect(response.headers["Retry-After"] == "1")
        }
    }
}
