import HTTPCore
import NetIO
import OpenAIAPI
import Testing
@testable import VLServeKit

/// The responses the transport sends by itself (framing errors, timeouts, the connection cap) carry
/// OpenAI's error envelope in vlserve, through `HTTPErrorRenderer.openAI`.
@Suite struct TransportErrorBodyTests {
    @Test func openAIRendererUsesOpenAITypesAndEscapesTheMessage() throws {
        let cases: [(Int, String)] = [(400, "invalid_request_error"), (408, "invalid_request_error"),
                                      (413, "invalid_request_error"), (414, "invalid_request_error"),
                                      (431, "invalid_request_error"), (500, "server_error"), (501, "invalid_request_error"),
                                      (502, "server_error"), (503, "service_unavailable"), (504, "server_error"),
                                      (505, "invalid_request_error")]
        let message = "bad \"quote\" \\ and\ta control \u{1} byte"
        for (code, type) in cases {
            let body = HTTPErrorRenderer.openAI.render(status: HTTPStatus(code: code), message: message)
            #expect(body.contentType == "application/json")
            let error = try JSONParser.parse(body.bytes)["error"]
            #expect(error?["type"] == .string(type), "\(code)")
            #expect(error?["message"] == .string(message), "\(code)")
            #expect(error?["param"] == .null)
            #expect(error?["code"] == .null)
        }
    }

    /// Sends `wire` on a fresh connection and parses the one response the server sends before closing.
    func exchange(_ wire: [UInt8], port: Int) async throws -> TestResponse {
        let connection = try await RawConnection.open(port: port)
        defer { connection.close() }
        let raw = await connection.exchange(wire)
        var parser = HTTPResponseParser()
        var response = TestResponse(status: 0, headers: HTTPHeaders(), body: [])
        for event in try parser.feed(raw) + (try parser.finish()) {
            switch event {
            case .head(let head): response.status = head.status.code; response.headers = head.headers
            case .body(let bytes): response.body += bytes
            case .end: break
            }
        }
        return response
    }

    @Test func framingErrorsFromTheLiveServerAreOpenAIErrors() async throws {
        try await withServer { _, port in
            let cases: [(wire: String, status: Int, message: String)] = [
                ("GET /v1/models HTTP/1.1\r\n\r\n", 400, "Host"),
                ("GET /v1/models HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-Pad: " + String(repeating: "p", count: 1000) + "\r\n", count: 40)
                    + "\r\n", 431, "32768"),
                ("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Length: 16777217\r\n\r\n", 413, "16777216"),
            ]
            for (wire, status, message) in cases {
                let response = try await exchange(Array(wire.utf8), port: port)
                #expect(response.status == status)
                #expect(response.headers["content-type"] == "application/json", "\(status)")
                let error = try response.json()["error"]
                #expect(error?["type"] == .string("invalid_request_error"), "\(status)")
                #expect(error?["message"]?.stringValue?.contains(message) == true, "\(response.text)")
            }
        }
    }
}
