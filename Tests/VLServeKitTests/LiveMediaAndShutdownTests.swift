import Engine
import Foundation
import HTTPCore
import NetIO
import OpenAIAPI
import Testing
import VisionCore
@testable import VLServeKit

@Suite struct LiveMediaAndShutdownTests {
    @Test func fetchesHTTPImagesOnlyFromAllowedHosts() async throws {
        // A tiny image host on port 0 serving one JPEG at /cat.jpg and 404 elsewhere.
        let jpeg = try JPEGEncoder.encode(RGBImage(width: 56, height: 56, fill: (10, 200, 10)))
        let host = try HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
                                  handler: HTTPClosureHandler { request, responder in
                                      if request.head.path == "/cat.jpg" {
                                          responder.send(status: 200, headers: [("Content-Type", "image/jpeg")], body: jpeg)
                                      } else {
                                          responder.send(status: 404)
                                      }
                                  })
        let hostPort = try host.start()
        let media = MediaOptions(allowedMediaDomains: ["127.0.0.1"], fetchTimeoutSeconds: 5)
        try await withServer(app: AppConfiguration(servedModelNames: ["test-vlm"], maxModelLen: 4096, media: media)) { server, port in
            let ok = try await request(port, "POST", "/v1/chat/completions",
                                       body: chatBody(images: ["http://127.0.0.1:\(hostPort)/cat.jpg"], extra: ",\"max_tokens\":2"))
            #expect(ok.status == 200, "\(ok.text)")
            #expect(try ok.json()["usage"]?["prompt_tokens"] == .int(Int64(expectedPromptTokens(imageTokens: [4]))))
            let missing = try await request(port, "POST", "/v1/chat/completions",
                                            body: chatBody(images: ["http://127.0.0.1:\(hostPort)/dog.jpg"]))
            #expect(missing.status == 400)
            #expect(missing.text.contains("HTTP 404"))
            let otherHost = try await request(port, "POST", "/v1/chat/completions",
                                              body: chatBody(images: ["http://localhost:\(hostPort)/cat.jpg"]))
            #expect(otherHost.status == 400)
            #expect(otherHost.text.contains("--allowed-media-domains"))
        }
        await host.shutdown(drainTimeout: .seconds(1))
    }

    @Test func shutdownLetsStreamsInFlightFinish() async throws {
        // 2 ms per step, 40 tokens: the stream is still running when shutdown starts.
        let (server, port) = try startServer(engine: EngineConfiguration(
            modelName: "test-vlm", costModel: CostModel(decodeStepMs: 2, perSequenceMs: 0, prefillMsPer1kTokens: 0)))
        let connection = try await RawConnection.open(port: port)
        defer { connection.close() }
        let body = chatBody(extra: ",\"max_tokens\":40,\"ignore_eos\":true,\"stream\":true")
        await connection.send(rawChatRequest(body, extraHeaders: "Connection: close\r\n"))
        let head = await connection.read(until: { String(decoding: $0, as: UTF8.self).contains("\"role\":\"assistant\"") })
        try #require(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        async let stopped: Void = server.shutdown(drainTimeout: .seconds(20))
        let rest = String(decoding: head + (await connection.readToEnd()), as: UTF8.self)
        await stopped
        #expect(rest.contains("\"finish_reason\":\"length\""))
        #expect(rest.contains("data: [DONE]\n\n"))
        #expect(server.engine.counters.finishedLength == 1)
        #expect(server.engine.counters.aborted == 0)
        // New connections are refused once shutdown has begun.
        await #expect(throws: (any Error).self) { _ = try await RawConnection.open(port: port) }
    }
}
