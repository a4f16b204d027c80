import HTTPCore
import NetIO
import OpenAIAPI

extension HTTPErrorRenderer {
    /// OpenAI's error envelope (shared/docs/README.md "Error body") for the responses the transport
    /// sends by itself (framing errors, timeouts, the connection cap), so API clients read them like
    /// any other error: `application/json`, `{"error":{"message":...,"type":...,"param":null,"code":null}}`.
    public static let openAI = HTTPErrorRenderer { status, message in
        let error = APIError(status: status.code, type: openAIErrorType(status: status.code), message: message)
        return Body(contentType: "application/json", bytes: error.body())
    }

    /// OpenAI's `type` for a transport status: `service_unavailable` for 503, `server_error` for
    /// 500, 502 and 504, else `invalid_request_error` (4xx, and 501/505: the client sent something
    /// the server does not speak).
    static func openAIErrorType(status: Int) -> String {
        switch status {
        case 503: return "service_unavailable"
        case 500, 502, 504: return "server_error"
        default: return "invalid_request_error"
        }
    }
}
