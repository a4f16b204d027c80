import HTTPCore
import NetIO
import OpenAIAPI

/// The server's side endpoints vlbench uses besides the benchmarked one:
/// `/v1/models`, `/tokenize`, `/metrics`, `/health`.
struct ServerAPI: Sendable {
    let client: HTTPClient
    let endpoint: ServerEndpoint
    let apiKey: String?
    let headers: [(String, String)]

    /// A request to `path` with vlbench's headers: Content-Type for bodies, `Authorization` when
    /// `OPENAI_API_KEY` is set, the `--header` pairs, then `x-request-id` (set last, so it wins).
    func request(method: String = "POST", path: String, body: [UInt8], requestID: String? = nil) -> HTTPClientRequest {
        var h = HTTPHeaders()
        if !body.isEmpty || method == "POST" { h.add(name: "Content-Type", value: "application/json") }
        if let k = apiKey { h.add(name: "Authorization", value: "Bearer \(k)") }
        for (k, v) in headers { h.replaceOrAdd(name: k, value: v) }
        if let r = requestID { h.replaceOrAdd(name: "x-request-id", value: r) }
        return HTTPClientRequest(method: method, target: endpoint.target(path), headers: h, body: body)
    }

    /// `data[0].id` and `data[0].root` of `GET /v1/models`.
    func firstModel() async throws -> (String, String?) {
        let (head, body) : (HTTPResponseHead, [UInt8])
        do { (head, body) = try await client.fetch(request(method: "GET", path: "/v1/models", body: [])) } catch {
            throw BenchmarkError("GET \(endpoint.baseURL)/v1/models failed: \(error); pass --model")
        }
        guard head.status.code == 200, let j = try? JSONParser.parse(body), let first = j["data"]?[0], let id = first["id"]?.stringValue else {
            throw BenchmarkError("GET \(endpoint.baseURL)/v1/models returned \(head.status) without data[0].id; pass --model")
        }
        return (id, first["root"]?.stringValue)
    }

    /// Server token counts of `prompts` via `POST /tokenize` (`{"model","prompt"}` → `{"count"}`),
    /// 32 requests in flight; nil if the server has no usable `/tokenize`.
    func tokenCounts(_ prompts: [String], model: String) async -> [Int]? {
        guard let first = prompts.first, await count(first, model: model) != nil else { return nil }
        var out = [Int](repeating: 0, count: prompts.count)
        let ok = await withTaskGroup(of: (Int, Int?).self) { g -> Bool in
            var next = 0
            var good = true
            func add() {
                let i = next
                next += 1
                g.addTask { (i, await self.count(prompts[i], model: model)) }
            }
            while next < min(32, prompts.count) { add() }
            while let (i, c) = await g.next() {
                if let c { out[i] = c } else { good = false }
                if next < prompts.count { add() }
            }
            return good
        }
        return ok ? out : nil
    }

    /// Server token ids of `prompt` (`/tokenize` → `tokens`), or nil.
    func tokens(_ prompt: String, model: String) async -> [Int]? {
        let body = JSONWriter.body(.object([("model", .string(model)), ("prompt", .string(prompt)), ("add_special_tokens", .bool(false))]))
        guard let (head, data) = try? await client.fetch(request(path: "/tokenize", body: body)), head.status.code == 200,
              let j = try? JSONParser.parse(data), let t = j["tokens"]?.arrayValue else { return nil }
        let ids = t.compactMap(\.integralValue)
        return ids.count == t.count ? ids : nil
    }

    /// Text of `tokens` via `/detokenize` (`{"tokens"}` → `{"prompt"}`), or nil.
    func detokenize(_ tokens: [Int], model: String) async -> String? {
        let body = JSONWriter.body(.object([("model", .string(model)), ("tokens", .array(tokens.map { .int($0) }))]))
        guard let (head, data) = try? await client.fetch(request(path: "/detokenize", body: body)), head.status.code == 200,
              let j = try? JSONParser.parse(data) else { return nil }
        return j["prompt"]?.stringValue
    }

    /// Latest `vllm bench serve` for random prompts: when the server's count of the first prompt
    /// differs from the intended length, every prompt longer than intended on the server is cut to
    /// that many server tokens and detokenised. Returns the adjusted prompts (nil = unchanged). `probe` is the
    /// prompt checked first (default: the first of `samples`); a shard passes the whole dataset's first, so
    /// every shard decides as the unsharded run does.
    func fitRandomPrompts(_ samples: [SampleRequest], probe: SampleRequest? = nil, model: String) async -> [SampleRequest]? {
        guard let first = probe ?? samples.first, let t0 = await tokens(first.prompt, model: model),
              t0.count != first.promptLen else { return nil }
        var out = samples
        for i in out.indices {
            let target = out[i].promptLen
            guard let t = i == 0 && probe == nil ? t0 : await tokens(out[i].prompt, model: model) else { return nil }
            if t.count > target {
                guard let text = await detokenize(Array(t.prefix(target)), model: model) else { return nil }
                out[i].prompt = text
            }
        }
        return out
    }

    private func count(_ prompt: String, model: String) async -> Int? {
        let body = JSONWriter.body(.object([("model", .string(model)), ("prompt", .string(prompt)), ("add_special_tokens", .bool(true))]))
        guard let (head, data) = try? await client.fetch(request(path: "/tokenize", body: body)), head.status.code == 200,
              let j = try? JSONParser.parse(data) else { return nil }
        return j["count"]?.integralValue ?? j["tokens"]?.arrayValue?.count
    }

    /// `GET /metrics` parsed, or nil.
    func metrics() async -> PrometheusText? {
        guard let (head, data) = try? await client.fetch(request(method: "GET", path: "/metrics", body: [])), head.status.code == 200 else { return nil }
        return PrometheusText(String(decoding: data, as: UTF8.self))
    }

    /// Whether `GET /health` answers 200.
    func healthy() async -> Bool {
        guard let (head, _) = try? await client.fetch(request(method: "GET", path: "/health", body: []), timeout: 2) else { return false }
        return head.status.code == 200
    }
}
