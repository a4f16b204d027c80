import Engine
import Foundation
import OpenAIAPI
import Testing
import VisionCore
import TextCore
@testable import VLServeKit

@Suite struct LiveServerTests {
    @Test func streamingChatWithAnImage() async throws {
        try await withServer() { server, port in
            let body = chatBody(images: [try jpegDataURL()],
                                extra: ",\"max_tokens\":5,\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}")
            let response = try await request(port, "POST", "/v1/chat/completions", body: body)
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "text/event-stream; charset=utf-8")
            let events = response.events
            // role chunk, 5 content chunks (the last with finish_reason), usage chunk, [DONE]
            #expect(events.count == 8)
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { try JSONParser.parse($0) }
            #expect(chunks[0]["choices"]?[0]?["delta"]?["role"] == .string("assistant"))
            #expect(chunks[0]["choices"]?[0]?["finish_reason"] == .null)
            let ids = Set(chunks.compactMap { $0["id"]?.stringValue })
            #expect(ids.count == 1 && ids.first!.hasPrefix("chatcmpl-"))
            for chunk in chunks[1...4] {
                #expect(chunk["object"] == .string("chat.completion.chunk"))
                #expect(chunk["choices"]?[0]?["delta"]?["content"]?.stringValue?.isEmpty == false)
                #expect(chunk["choices"]?[0]?["finish_reason"] == .null)
            }
            #expect(chunks[5]["choices"]?[0]?["finish_reason"] == .string("length"))
            let usage = chunks[6]
            #expect(usage["choices"] == .array([]))
            // 56×56 → grid 1×4×4 = 16 patches → 4 image tokens (+ vision start/end in the template).
            let prompt = expectedPromptTokens(imageTokens: [4])
            #expect(usage["usage"]?["prompt_tokens"] == .int(Int64(prompt)))
            #expect(usage["usage"]?["completion_tokens"] == .int(5))
            #expect(usage["usage"]?["total_tokens"] == .int(Int64(prompt + 5)))
            let counters = server.engine.counters
            #expect(counters.encodedImages == 1 && counters.encodedPatches == 16)
        }
    }

    @Test func nonStreamingChatAndCompletions() async throws {
        try await withServer() { server, port in
            let chat = try await request(port, "POST", "/v1/chat/completions",
                                         body: chatBody(text: "Hello", extra: ",\"max_completion_tokens\":4,\"ignore_eos\":true,\"seed\":3"))
            #expect(chat.status == 200)
            let json = try chat.json()
            #expect(json["object"] == .string("chat.completion"))
            #expect(json["model"] == .string("test-vlm"))
            #expect(json["choices"]?[0]?["message"]?["role"] == .string("assistant"))
            #expect(json["choices"]?[0]?["finish_reason"] == .string("length"))
            #expect(json["usage"]?["completion_tokens"] == .int(4))
            #expect(json["usage"]?["prompt_tokens"] == .int(Int64(expectedPromptTokens(imageTokens: [], text: "Hello"))))
            // Same seed, same text.
            let again = try await request(port, "POST", "/v1/chat/completions",
                                          body: chatBody(text: "Hello", extra: ",\"max_completion_tokens\":4,\"ignore_eos\":true,\"seed\":3"))
            #expect(try again.json()["choices"]?[0]?["message"]?["content"] == json["choices"]?[0]?["message"]?["content"])

            // X-Request-Id names the response; continuous usage puts running totals on every chunk.
            let tagged = try await request(port, "POST", "/v1/chat/completions",
                                           body: chatBody(text: "Hello", extra: ",\"max_tokens\":3,\"ignore_eos\":true,\"stream\":true,"
                                               + "\"stream_options\":{\"include_usage\":true,\"continuous_usage_stats\":true}"),
                                           headers: [("Content-Type", "application/json"), ("X-Request-Id", "abc123")])
            let taggedChunks = try tagged.events.dropLast().map { try JSONParser.parse($0) }
            #expect(taggedChunks.allSatisfy { $0["id"] == .string("chatcmpl-abc123") })
            #expect(taggedChunks.first?["usage"]?["completion_tokens"] == .int(0))
            #expect(taggedChunks.map { $0["usage"]?["completion_tokens"] } == [.int(0), .int(1), .int(2), .int(3), .int(3)])

            let completion = try await request(port, "POST", "/v1/completions",
                                               body: "{\"model\":\"test-vlm\",\"prompt\":\"the cat\",\"max_tokens\":3,\"ignore_eos\":true}")
            #expect(completion.status == 200)
            let cjson = try completion.json()
            #expect(cjson["object"] == .string("text_completion"))
            #expect(cjson["usage"]?["prompt_tokens"] == .int(2))
            #expect(cjson["usage"]?["completion_tokens"] == .int(3))

            let streamed = try await request(port, "POST", "/v1/completions",
                                             body: "{\"prompt\":\"the cat\",\"max_tokens\":3,\"ignore_eos\":true,\"stream\":true,"
                                                 + "\"stream_options\":{\"include_usage\":true}}")
            let events = streamed.events
            #expect(events.count == 5)  // 3 text chunks, usage, [DONE]
            #expect(try JSONParser.parse(events[0])["object"] == .string("text_completion"))
            #expect(try JSONParser.parse(events[2])["choices"]?[0]?["finish_reason"] == .string("length"))
            #expect(try JSONParser.parse(events[3])["choices"] == .array([]))
            #expect(events[4] == "[DONE]")
        }
    }

    @Test func modelsHealthVersionTokenizeAndMetrics() async throws {
        try await withServer() { server, port in
            let models = try await request(port, "GET", "/v1/models").json()
            #expect(models["object"] == .string("list"))
            #expect(models["data"]?[0]?["id"] == .string("test-vlm"))
            #expect(models["data"]?[0]?["root"] == .string("Qwen/Qwen2.5-VL-7B-Instruct"))
            #expect(models["data"]?[0]?["max_model_len"] == .int(4096))
            #expect(try await request(port, "GET", "/v1/models/test-vlm").status == 200)
            #expect(try await request(port, "GET", "/health").status == 200)
            #expect(try await request(port, "POST", "/ping").status == 200)
            #expect(try await request(port, "GET", "/version").json()["version"] == .string(VLServeVersion.current))

            let tokenized = try await request(port, "POST", "/tokenize", body: "{\"prompt\":\"the cat sat\"}").json()
            #expect(tokenized["count"] == .int(Int64(Tokenizer().encode("the cat sat").count)))
            let chatTokens = try await request(port, "POST", "/tokenize",
                                               body: "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                                                   + "\"image_url\":{\"url\":\"\(try jpegDataURL())\"}},{\"type\":\"text\","
                                                   + "\"text\":\"What is in this image?\"}]}]}").json()
            #expect(chatTokens["count"] == .int(Int64(expectedPromptTokens(imageTokens: [4]))))
            let ids = Tokenizer().encode("the cat sat").map(String.init).joined(separator: ",")
            let detokenized = try await request(port, "POST", "/detokenize", body: "{\"tokens\":[\(ids)]}").json()
            #expect(detokenized["prompt"] == .string("the cat sat"))

            _ = try await request(port, "POST", "/v1/chat/completions", body: chatBody(extra: ",\"max_tokens\":2"))
            await server.engine.waitUntil { $0.finished == 1 }  // the step's gauges are published after its outputs
            let metrics = try await request(port, "GET", "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            for line in ["# TYPE vllm:time_to_first_token_seconds histogram",
                         "vllm:time_to_first_token_seconds_bucket{model_name=\"test-vlm\",engine=\"0\",le=\"0.001\"}",
                         "vllm:inter_token_latency_seconds_count{model_name=\"test-vlm\",engine=\"0\"} 1.0",
                         "vllm:e2e_request_latency_seconds_count{model_name=\"test-vlm\",engine=\"0\"} 1.0",
                         "vllm:generation_tokens_total{model_name=\"test-vlm\",engine=\"0\"} 2.0",
                         "vllm:num_requests_running{model_name=\"test-vlm\",engine=\"0\"} 0.0",
                         "vlserve:vision_encoder_batch_seconds_count{model_name=\"test-vlm\",engine=\"0\",encoder=\"patch-embed\",conv_impl=\"auto\","
                            + "gemm_backend=\"openblas\",dtype=\"float32\"}",
                         "vllm:kv_cache_usage_perc{model_name=\"test-vlm\",engine=\"0\"} 0.0",
                         "vlserve:vision_info{cpu=\"\(CPUFeatures.modelName)\",cpu_features=\"\(CPUFeatures.current.names.joined(separator: " "))\","
                            + "blas_core=\"\(BLAS.coreName)\",onednn=\"\(VisionInfo.onednnVersion)\",encoder=\"patch-embed\",conv_impl=\"auto\","
                            + "gemm_backend=\"openblas\",dtype=\"float32\",kernel=\"gemm: openblas sgemm (\(BLAS.coreName))\"} 1.0"] {
                #expect(metrics.text.contains(line), "missing \(line)")
            }
        }
    }

    @Test func clientDisconnectAbortsANonStreamingRequest() async throws {
        try await withServer(engine: EngineConfiguration(
            modelName: "test-vlm", costModel: CostModel(decodeStepMs: 25, perSequenceMs: 0, prefillMsPer1kTokens: 0))) { server, port in
            let connection = try await RawConnection.open(port: port)
            let body = chatBody(extra: ",\"max_tokens\":4000,\"ignore_eos\":true")
            await connection.send(rawChatRequest(body))
            await server.engine.waitUntil { $0.generatedTokens >= 2 }  // it is running
            connection.close()
            await server.engine.waitUntil { $0.aborted == 1 }
            #expect(server.engine.counters.running == 0)
            #expect(server.engine.counters.generatedTokens < 4000)
            #expect(server.app.liveSessions.current == 0)
        }
    }

    @Test func clientDisconnectAbortsTheRequest() async throws {
        // 25 ms per decode step: 4000 tokens take 100 s, so the request is still running when the client
        // hangs up even if this task is starved of the cooperative pool for seconds (at 1 ms it finished
        // first under load and `aborted == 1` never came: the whole test run hung).
        try await withServer(engine: EngineConfiguration(
            modelName: "test-vlm", costModel: CostModel(decodeStepMs: 25, perSequenceMs: 0, prefillMsPer1kTokens: 0))) { server, port in
            let connection = try await RawConnection.open(port: port)
            let body = chatBody(extra: ",\"max_tokens\":4000,\"ignore_eos\":true,\"stream\":true")
            await connection.send(rawChatRequest(body))
            // Wait for two content events, then hang up.
            let received = await connection.read(until: { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                return text.components(separatedBy: "\"content\":").count > 3 || text.contains("\"error\"")
            })
            connection.close()
            try #require(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            await server.engine.waitUntil { $0.aborted == 1 }
            let counters = server.engine.counters
            #expect(counters.running == 0 && counters.waiting == 0)
            #expect(counters.generatedTokens < 4000)
            #expect(server.app.liveSessions.current == 0)
            let metrics = try await request(port, "GET", "/metrics").text
            #expect(metrics.contains("vllm:request_success_total{model_name=\"test-vlm\",engine=\"0\",finished_reason=\"abort\"} 1.0"))
        }
    }
}
