import NetIO
import OpenAIAPI

extension HTTPResponder {
    static let jsonHeaders: [(String, String)] = [("Content-Type", "application/json")]
    static let sseHeaders: [(String, String)] = [("Content-Type", "text/event-stream; charset=utf-8"),
                                                 ("Cache-Control", "no-cache")]

    /// 200 (or `status`) with a JSON body.
    func sendJSON(_ body: [UInt8], status: Int = 200, extraHeaders: [(String, String)] = []) {
        send(status: status, headers: extraHeaders.isEmpty ? Self.jsonHeaders : Self.jsonHeaders + extraHeaders, body: body)
    }

    /// An error in OpenAI's envelope with its status; 503s carry `Retry-After`, 501s `x-should-retry: false`.
    func sendError(_ error: APIError, retryAfterSeconds: Int = 1) {
        var headers = Self.jsonHeaders
        switch error.status {
        case 503, 429: headers.append(("Retry-After", String(retryAfterSeconds)))
        case 501: headers.append(("x-should-retry", "false"))
        case 401: headers.append(("WWW-Authenticate", "Bearer"))
        default: break
        }
        send(status: error.status, headers: headers, body: error.body())
    }
}
