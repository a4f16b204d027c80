import Foundation
import Hummingbird

/// Canned OpenAI-compatible server on Hummingbird 2 (SwiftNIO): the anchor that `scripts/bench-server.sh`
/// measures `vlserve` against. It does what a Hummingbird user would write for the fast path, and no model
/// work:
/// - decodes the body of `POST /v1/chat/completions` with `Codable` (one shared Foundation `JSONDecoder`,
///   `ChatRequest` below: model, messages with string or part-list content, max_tokens, stream);
/// - `"stream": false` (default): one `chat.completion` body with vLLM's fields (the same shape and
///   size as vlserve's), written into one `ByteBuffer`;
/// - `"stream": true`: vLLM's SSE events for `max_tokens` tokens (default 64): the role chunk, one content
///   chunk per further token, the finish chunk carrying the last token, `data: [DONE]`; each event is its
///   own `ByteBuffer` (one HTTP chunk), and they go to the response body writer `--events-per-write` at a
///   time through `write(contentsOf:)` (one flush per call; 0, the default, hands over the whole stream at once).
/// Every response gets a fresh `chatcmpl-<32 hex>` id from the system random generator, as vlserve's.
///
/// Usage: `canned-server [--port 8001] [--host 127.0.0.1] [--events-per-write 0]`
@main
struct CannedServer {
    static func main() async throws {
        var port = 8001
        var host = "127.0.0.1"
        var eventsPerWrite = 0
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--port": port = Int(args.next() ?? "") ?? port
            case "--host": host = args.next() ?? host
            case "--events-per-write": eventsPerWrite = Int(args.next() ?? "") ?? eventsPerWrite
            default: break
            }
        }
        let batch = eventsPerWrite
        let decoder = JSONDecoder()
        let router = Router()
        router.get("/health") { _, _ in HTTPResponse.Status.ok }
        router.post("/v1/chat/completions") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let chat: ChatRequest
            do {
                chat = try decoder.decode(ChatRequest.self, from: buffer)
            } catch {
                throw HTTPError(.badRequest, message: "Invalid chat request: \(error)")
            }
            let canned = CannedResponse(model: chat.model ?? "canned")
            let tokens = max(chat.maxCompletionTokens ?? chat.maxTokens ?? 64, 1)
            if chat.stream != true {
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: canned.completion(tokens: tokens)))
            }
            let body = ResponseBody { writer in
                let events = canned.streamEvents(tokens: tokens)
                if batch <= 0 {
                    try await writer.write(contentsOf: events)
                } else {
                    var start = 0
                    while start < events.count {
                        let end = min(start + batch, events.count)
                        try await writer.write(contentsOf: events[start..<end])
                        start = end
                    }
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8",
                                                   .cacheControl: "no-cache"], body: body)
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
    }
}

/// The request fields the canned server reads, decoded with `Codable`.
struct ChatRequest: Decodable {
    struct Message: Decodable {
        let role: String
        let content: Content
    }

    /// `content`: a string or a list of parts (`{"type": "text", "text": ...}`, image parts).
    enum Content: Decodable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }
    }

    struct Part: Decodable {
        let type: String
        let text: String?
    }

    let model: String?
    let messages: [Message]
    let maxTokens: Int?
    let maxCompletionTokens: Int?
    let stream: Bool?
    let ignoreEOS: Bool?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case ignoreEOS = "ignore_eos"
    }
}

/// Response bytes in vLLM's shapes with canned text: the token is `" tok"`.
struct CannedResponse {
    let id: String
    /// The request's model name as a JSON string literal (quotes and escapes included), by `JSONEncoder`.
    let modelJSON: String
    let created: Int

    /// One shared encoder, as the server shares its `JSONDecoder` (Foundation's coders are thread-safe).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    init(model: String) {
        var random = SystemRandomNumberGenerator()
        let hex = String(random.next() as UInt64, radix: 16) + String(random.next() as UInt64, radix: 16)
        id = "chatcmpl-" + String(repeating: "0", count: max(0, 32 - hex.utf8.count)) + hex
        modelJSON = (try? CannedResponse.encoder.encode(model)).map { String(decoding: $0, as: UTF8.self) } ?? "\"canned\""
        created = Int(Date().timeIntervalSince1970)
    }

    /// The `chat.completion` body for `tokens` tokens (the fields vlserve sends, in its order).
    func completion(tokens: Int) -> ByteBuffer {
        let content = String(repeating: " tok", count: tokens)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(640 + content.utf8.count)
        buffer.writeString(#"{"id":""# + id + #"","object":"chat.completion","created":\#(created),"model":"# + modelJSON)
        buffer.writeString(#","choices":[{"index":0,"message":{"role":"assistant","content":""# + content)
        buffer.writeString(#"","refusal":null,"annotations":null,"audio":null,"function_call":null,"tool_calls":[],"#
            + #""reasoning":null},"logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null}],"#
            + #""service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":83,"total_tokens":\#(83 + tokens),"#
            + #""completion_tokens":\#(tokens),"prompt_tokens_details":null},"prompt_logprobs":null,"#
            + #""prompt_token_ids":null,"kv_transfer_params":null}"#)
        return buffer
    }

    /// The SSE events of a `tokens`-token stream, one `ByteBuffer` each: role chunk, `tokens - 1`
    /// content chunks, the finish chunk with the last token, `data: [DONE]`.
    func streamEvents(tokens: Int) -> [ByteBuffer] {
        let head = #"data: {"id":""# + id + #"","object":"chat.completion.chunk","created":\#(created),"model":"#
            + modelJSON + #","choices":[{"index":0,"delta":"#
        var events: [ByteBuffer] = []
        events.reserveCapacity(tokens + 2)
        func event(_ tail: String) {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(head.utf8.count + tail.utf8.count)
            buffer.writeString(head)
            buffer.writeString(tail)
            events.append(buffer)
        }
        event(#"{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"# + "\n\n")
        for _ in 1..<tokens {
            event(#"{"content":" tok"},"logprobs":null,"finish_reason":null}]}"# + "\n\n")
        }
        event(#"{"content":" tok"},"logprobs":null,"finish_reason":"length","stop_reason":null}]}"# + "\n\n")
        events.append(ByteBuffer(string: "data: [DONE]\n\n"))
        return events
    }
}
