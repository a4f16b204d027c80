/// An error in OpenAI's envelope: `{"error": {"message", "type", "param", "code"}}`.
///
/// `type` uses OpenAI's names (docs/README.md decision): `invalid_request_error` for 400/404/413,
/// `authentication_error` for 401, `server_error` for 500, `service_unavailable` for 503. `code` is a
/// short string where OpenAI defines one (`model_not_found`, `context_length_exceeded`,
/// `invalid_api_key`), else nil (`null`). `param` names the offending request field by its path,
/// e.g. `messages[0].content[1].image_url.url`.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status to send (400, 401, 404, 413, 500, 501, 503, ...).
    public var status: Int
    public var type: String
    public var message: String
    public var param: String?
    public var code: String?

    public init(status: Int, type: String, message: String, param: String? = nil, code: String? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.param = param
        self.code = code
    }

    public var description: String {
        "\(status) \(type): \(message)" + (param.map { " (param: \($0))" } ?? "")
    }

    /// The JSON body: `{"error":{"message":...,"type":...,"param":...,"code":...}}`.
    public func body() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + message.utf8.count)
        appendObject(to: &out)
        return out
    }

    /// Appends the envelope object (no framing) to `out`.
    public func appendObject(to out: inout [UInt8]) {
        JSONWriter.appendRaw("{\"error\":{\"message\":", to: &out)
        JSONWriter.appendString(message, to: &out)
        JSONWriter.appendRaw(",\"type\":", to: &out)
        JSONWriter.appendString(type, to: &out)
        JSONWriter.appendRaw(",\"param\":", to: &out)
        if let param { JSONWriter.appendString(param, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        JSONWriter.appendRaw(",\"code\":", to: &out)
        if let code { JSONWriter.appendString(code, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        JSONWriter.appendRaw("}}", to: &out)
    }

    // MARK: constructors

    /// 400 `invalid_request_error`.
    public static func invalidRequest(_ message: String, param: String? = nil) -> APIError {
        APIError(status: 400, type: "invalid_request_error", message: message, param: param)
    }

    /// 400 for a body that is not valid JSON, with the parser's byte offset and reason.
    public static func invalidJSON(_ error: JSONParseError) -> APIError {
        invalidRequest("Request body is not valid JSON: \(error.description).")
    }

    /// 404 `invalid_request_error` for an unknown route or resource.
    public static func notFound(_ message: String = "Not Found") -> APIError {
        APIError(status: 404, type: "invalid_request_error", message: message)
    }

    /// 404 for an unknown model, vLLM's message, `param: "model"`, `code: "model_not_found"`.
    public static func modelNotFound(_ model: String) -> APIError {
        APIError(status: 404, type: "invalid_request_error", message: "The model `\(model)` does not exist.",
                 param: "model", code: "model_not_found")
    }

    /// 401 `authentication_error`, `code: "invalid_api_key"`.
    public static func unauthorized(_ message: String = "Invalid or missing API key. Send `Authorization: Bearer <key>`.")
        -> APIError
    {
        APIError(status: 401, type: "authentication_error", message: message, code: "invalid_api_key")
    }

    /// 400 when prompt plus requested output exceed the context window (vLLM's wording, OpenAI's code).
    /// - Parameters:
    ///   - promptTokens: tokens in the rendered prompt, image tokens included.
    ///   - maxTokens: requested output tokens.
    ///   - maxModelLen: the context window.
    public static func contextLengthExceeded(promptTokens: Int, maxTokens: Int, maxModelLen: Int) -> APIError {
        APIError(status: 400, type: "invalid_request_error",
                 message: "This model's maximum context length is \(maxModelLen) tokens. However, you requested "
                     + "\(maxTokens) output tokens and your prompt contains \(promptTokens) input tokens, for a "
                     + "total of \(promptTokens + maxTokens) tokens. Please reduce the length of the input prompt "
                     + "or the number of requested output tokens.",
                 param: "messages", code: "context_length_exceeded")
    }

    /// 400 when the prompt alone does not fit (`promptTokens >= maxModelLen`).
    public static func promptTooLong(promptTokens: Int, maxModelLen: Int, param: String = "messages") -> APIError {
        APIError(status: 400, type: "invalid_request_error",
                 message: "This model's maximum context length is \(maxModelLen) tokens. However, your prompt "
                     + "contains \(promptTokens) input tokens. Please reduce the length of the input prompt.",
                 param: param, code: "context_length_exceeded")
    }

    /// 400 when the requested cap alone exceeds the context window (vLLM's message); `param` is the
    /// field the client used (`max_tokens` or `max_completion_tokens`).
    public static func maxTokensTooLarge(_ maxTokens: Int, maxModelLen: Int, param: String = "max_tokens") -> APIError {
        APIError(status: 400, type: "invalid_request_error",
                 message: "\(param)=\(maxTokens) cannot be greater than max_model_len=\(maxModelLen). "
                     + "Please request fewer output tokens.",
                 param: param)
    }

    /// 400 when a request has more images than `--limit-mm-per-prompt` allows (vLLM's message).
    public static func tooManyImages(limit: Int) -> APIError {
        invalidRequest("At most \(limit) image(s) may be provided in one prompt.", param: "messages")
    }

    /// 400 for a body whose `Content-Type` is not `application/json` (vLLM `validate_json_request`).
    public static func unsupportedContentType(_ contentType: String?) -> APIError {
        invalidRequest("Unsupported Media Type: Only 'application/json' is allowed"
                           + (contentType.map { ", got '\($0)'." } ?? ", and no Content-Type was sent."))
    }

    /// 405 for a known path with the wrong method.
    public static func methodNotAllowed(_ method: String, path: String) -> APIError {
        APIError(status: 405, type: "invalid_request_error", message: "Method \(method) is not allowed for \(path).")
    }

    /// 413 for a body over the server's limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, type: "invalid_request_error",
                 message: "Request body is larger than the server's limit of \(limit) bytes.")
    }

    /// 503 `service_unavailable` (overload, not ready, draining).
    public static func serviceUnavailable(_ message: String = "The server is overloaded; retry later.") -> APIError {
        APIError(status: 503, type: "service_unavailable", message: message)
    }

    /// 500 `server_error`.
    public static func `internal`(_ message: String = "Internal server error") -> APIError {
        APIError(status: 500, type: "server_error", message: message)
    }

    /// 501 for a recognised but unsupported feature (vLLM maps `NotImplementedError` to 501).
    public static func notImplemented(_ message: String, param: String? = nil) -> APIError {
        APIError(status: 501, type: "not_implemented_error", message: message, param: param)
    }
}
