import Engine
import Foundation
import HTTPCore
import NetIO
import Observability
import OpenAIAPI
import TextCore

/// The application: routes each HTTP request to the OpenAI API layer, the image pipeline and the
/// engine. `handle` runs on an event-loop thread and never blocks: JSON decoding and text-only
/// prompts are handled inline; requests with images go to the `WorkerPool` first.
///
/// Routes: `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`, `GET /v1/models/{id}`,
/// `GET /health`, `GET|POST /ping`, `GET /version`, `POST /tokenize`, `POST /detokenize`, `GET /metrics`.
/// Unknown paths are 404 and known paths with another method 405, both in OpenAI's error envelope.
/// With API keys configured, `/v1/*`, `/tokenize` and `/detokenize` need `Authorization: Bearer <key>`
/// (401 otherwise); `/health`, `/ping`, `/version` and `/metrics` stay open for probes and scrapers.
public final class VLServeApp: HTTPRequestHandler, @unchecked Sendable {
    public let configuration: AppConfiguration
    public let engine: Engine
    public let pipeline: ImagePipeline
    public let pool: WorkerPool
    public let registry: MetricsRegistry
    /// Qwen's chat template over `configuration.tokenizer`.
    let template: ChatTemplate
    /// Request sessions alive (streams and pending JSON responses); 0 when everything was freed.
    public let liveSessions = LiveCounter()
    let logger: Logger
    private let apiKeyDigests: [[UInt8]]
    /// Set by `beginDraining()` (SIGTERM): `/health` and `/ping` answer 503 from then on.
    private let draining = Locked(false)

    public init(configuration: AppConfiguration, engine: Engine, pipeline: ImagePipeline, pool: WorkerPool,
                registry: MetricsRegistry, logger: Logger) {
        self.configuration = configuration
        self.engine = engine
        self.pipeline = pipeline
        self.pool = pool
        self.registry = registry
        self.logger = logger
        template = ChatTemplate(tokenizer: configuration.tokenizer)
        apiKeyDigests = configuration.apiKeys.map { Array($0.utf8) }
    }

    /// What `/health` and `/ping` report: 200 while the engine thread runs and no drain has begun, else 503
    /// (vLLM's `/health` is 503 once its engine is dead; an orchestrator should stop routing to either).
    public var isHealthy: Bool { engine.isAlive && !isDraining }

    /// True once `beginDraining()` was called.
    public var isDraining: Bool { draining.withLock { $0 } }

    /// Marks the server as draining: `/health` and `/ping` answer 503 from now on; every other route is served
    /// as before (the transport stops accepting separately, in `VLServer.shutdown`).
    public func beginDraining() { draining.withLock { $0 = true } }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let head = request.head
        let method = head.method
        switch head.path {
        case "/v1/chat/completions":
            guard allow(method, ["POST"], responder), authorized(head, responder), jsonBody(head, responder) else { return }
            handleChat(request, responder: responder)
        case "/v1/completions":
            guard allow(method, ["POST"], responder), authorized(head, responder), jsonBody(head, responder) else { return }
            handleCompletion(request, responder: responder)
        case "/v1/models":
            guard allow(method, ["GET"], responder), authorized(head, responder) else { return }
            responder.sendJSON(ResponseEncoder.modelList(modelCards()))
        case "/health":
            guard allow(method, ["GET"], responder) else { return }
            responder.send(status: isHealthy ? 200 : 503)
        case "/ping":
            guard allow(method, ["GET", "POST"], responder) else { return }
            responder.send(status: isHealthy ? 200 : 503)
        case "/version":
            guard allow(method, ["GET"], responder) else { return }
            responder.sendJSON(ResponseEncoder.version(configuration.version))
        case "/tokenize":
            guard allow(method, ["POST"], responder), authorized(head, responder), jsonBody(head, responder) else { return }
            handleTokenize(request, responder: responder)
        case "/detokenize":
            guard allow(method, ["POST"], responder), authorized(head, responder), jsonBody(head, responder) else { return }
            handleDetokenize(request, responder: responder)
        case "/metrics":
            guard allow(method, ["GET"], responder) else { return }
            responder.send(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                           body: Array(registry.render().utf8))
        default:
            if head.path.hasPrefix("/v1/models/") {
                guard allow(method, ["GET"], responder), authorized(head, responder) else { return }
                let name = String(head.path.dropFirst("/v1/models/".count)).removingPercentEncoding ?? ""
                guard let card = modelCards().first(where: { $0.id == name }) else {
                    responder.sendError(.modelNotFound(name))
                    return
                }
                responder.sendJSON(ResponseEncoder.model(card))
                return
            }
            if head.path.hasPrefix("/v1/") {
                guard authorized(head, responder) else { return }
            }
            responder.sendError(.notFound("Not Found: no route for \(method) \(head.path)."))
        }
    }

    // MARK: - Checks

    private func allow(_ method: String, _ allowed: [String], _ responder: HTTPResponder) -> Bool {
        if allowed.contains(method) { return true }
        let error = APIError(status: 405, type: "invalid_request_error",
                             message: "Method Not Allowed: use \(allowed.joined(separator: " or ")).")
        responder.send(status: 405, headers: HTTPResponder.jsonHeaders + [("Allow", allowed.joined(separator: ", "))],
                       body: error.body())
        return false
    }

    /// Bearer-token check (scheme case-insensitive, constant-time comparison), as vLLM's middleware.
    private func authorized(_ head: HTTPRequestHead, _ responder: HTTPResponder) -> Bool {
        guard !apiKeyDigests.isEmpty else { return true }
        if let value = head.headers["Authorization"] {
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let offered = Array(parts[1].trimmingCharacters(in: .whitespaces).utf8)
                var match = false
                for key in apiKeyDigests where Self.constantTimeEqual(key, offered) { match = true }
                if match { return true }
            }
        }
        responder.sendError(.unauthorized())
        return false
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }

    /// vLLM rejects bodies whose Content-Type is not JSON (400); a missing Content-Type is accepted.
    private func jsonBody(_ head: HTTPRequestHead, _ responder: HTTPResponder) -> Bool {
        guard let type = head.headers["Content-Type"] else { return true }
        if Self.isJSONMediaType(type) { return true }
        responder.sendError(.invalidRequest("Unsupported Content-Type \"\(type)\": send application/json."))
        return false
    }

    /// True when the media type of a `Content-Type` value (before any `;`, without surrounding spaces and
    /// tabs, ASCII case-insensitive) is `application/json` or ends in `+json`. Works on the UTF-8 bytes:
    /// this runs for every request, and Foundation's trimming and lowercasing cost more than the rest of
    /// the routing together.
    static func isJSONMediaType(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            var start = 0
            var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let media = UnsafeBufferPointer(rebasing: bytes[start..<end])
            func endsWith(_ suffix: StaticString) -> Bool {
                let n = suffix.utf8CodeUnitCount
                guard media.count >= n else { return false }
                let p = suffix.utf8Start
                for i in 0..<n {
                    let b = media[media.count - n + i]
                    if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != p[i] { return false }
                }
                return true
            }
            return (media.count == 16 && endsWith("application/json")) || endsWith("+json")
        }
    }

    /// The model named in a request, or a 404.
    func checkModel(_ model: String?) throws(APIError) {
        guard let model else { return }
        guard configuration.servedModelNames.contains(model) else { throw .modelNotFound(model) }
    }

    func modelCards() -> [ModelCard] {
        configuration.servedModelNames.map {
            ModelCard(id: $0, created: configuration.createdAt, root: configuration.modelRoot,
                      maxModelLen: configuration.maxModelLen)
        }
    }

    /// Response id: `X-Request-Id` header, then the body's `request_id`, else random (vLLM `_base_request_id`).
    func clientRequestID(_ head: HTTPRequestHead, body: String?) -> String? {
        head.headers["X-Request-Id"] ?? body
    }

    static func unixTime() -> Int { Int(Date().timeIntervalSince1970) }

    /// Fails fast (before any image work) when the engine's waiting queue is full.
    func overloaded() -> APIError? {
        engine.queuedRequests + pool.pendingCount >= engine.configuration.maxWaitingRequests
            ? .serviceUnavailable("The server is overloaded: \(engine.configuration.maxWaitingRequests) requests are "
                                      + "already waiting (--max-waiting-requests). Retry later.")
            : nil
    }

    func log(_ error: APIError, _ path: String) {
        if error.status >= 500 {
            logger.error("", [LogField("path", path), LogField("status", error.status), LogField("error", error.message)])
        } else {
            logger.debug("", [LogField("path", path), LogField("status", error.status), LogField("error", error.message)])
        }
    }
}
