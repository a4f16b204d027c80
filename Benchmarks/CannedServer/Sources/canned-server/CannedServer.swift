import Foundation
import Hummingbird

/// Canned OpenAI-compatible server on Hummingbird 2 (SwiftNIO): the anchor that `scripts/bench-server.sh`
/// measures `vlserve` against. It parses the JSON body of `POST /v1/chat/completions` (so request decoding
/// is paid for, as in a real server), then answers without any model work:
/// - `"stream": false` (default): one `chat.completion` object with fixed content and usage;
/// - `"stream": true`: `tokens` content chunks (default 64, or the request's `max_tokens`), a finish chunk
///   and `data: [DONE]`, in vLLM's SSE framing.
///
/// Usage: `canned-server [--port 8001] [--host 127.0.0.1]`
@main
struct CannedServer {
    static func main() async throws {
        var port = 8001
        var host = "127.0.0.1"
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--port": port = Int(args.next() ?? "") ?? port
            case "--host": host = args.next() ?? host
            default: break
            }
        }
        let router = Router()
        router.get("/health") { _, _ in HTTPResponse.Status.ok }
        router.post("/v1/chat/completions") { request, context -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
            let model = object["model"] as? String ?? "canned"
            let stream = object["stream"] as? Bool ?? false
            let tokens = object["max_tokens"] as? Int ?? object["max_completion_tokens"] as? Int ?? 64
            let created = Int(Date().timeIntervalSince1970)
            if !stream {
                let json = """
                {"id":"chatcmpl-canned","object":"chat.completion","created":\(created),"model":"\(model)",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the canned server."},\
                "logprobs":null,"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":10,"total_tokens":17,"completion_tokens":7}}
                """
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: json)))
            }
            let prefix = "data: {\"id\":\"chatcmpl-canned\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":\"\(model)\",\"choices\":[{\"index\":0,\"delta\":"
            let body2 = ResponseBody { writer in
                for i in 0..<tokens {
                    let delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"tok\"}" : "{\"content\":\" tok\"}"
                    try await writer.write(ByteBuffer(string: prefix + delta + ",\"logprobs\":null,\"finish_reason\":null}]}\n\n"))
                }
                try await writer.write(ByteBuffer(string: prefix + "{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n"))
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body2)
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
    }
}
