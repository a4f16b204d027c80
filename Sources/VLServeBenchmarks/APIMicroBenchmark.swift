import OpenAIAPI

/// Micro-benchmark of the OpenAI wire-format hot paths for `vlserve bench-api` (run it from a release build;
/// not a test): SSE chunk encoding and request decoding, in operations per CPU-second of one core.
public enum APIMicroBenchmark {
    /// A `vllm bench serve --backend openai-chat` body with one image whose base64 payload is `imageBytes` long.
    public static func benchChatBody(imageBytes: Int = 100_000) -> [UInt8] {
        var b = Array(#"{"model":"Qwen/Qwen2.5-VL-7B-Instruct","messages":[{"role":"user","content":[{"type":"text","text":"Describe the image in detail, including the objects, colours and any text you can read."},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,"#.utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var x: UInt32 = 12345
        for _ in 0..<imageBytes {
            x = x &* 1_664_525 &+ 1_013_904_223
            b.append(alphabet[Int(x >> 26)])
        }
        b += Array(#""}}]}],"max_completion_tokens":128,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true}"#.utf8)
        return b
    }

    static func measure(_ name: String, operations: Int, bytes: Int, _ body: () -> Void) -> Result {
        let clock = ContinuousClock()
        let cpu0 = BenchmarkStatistics.threadCPUSeconds()
        let elapsed = clock.measure(body)
        let cpu = BenchmarkStatistics.threadCPUSeconds() - cpu0
        let s = BenchmarkStatistics.seconds(elapsed)
        return Result(name: name, operations: operations, seconds: s, cpuSeconds: cpu > 0 ? cpu : s, bytes: bytes)
    }

    /// Runs every case; `scale` multiplies the iteration counts (1 takes a few seconds in release).
    public static func run(scale: Int = 1) -> [Result] {
        run(workload: .scaled(scale))
    }

    /// Runs the five cases with the operation counts of `workload`, in order: content chunk to a new array,
    /// appended into one buffer, with continuous usage, decoding the image body and the text-only body.
    public static func run(workload: Workload) -> [Result] {
        var results: [Result] = []
        let tokens = [" the", " cat", " sat", " on", " a", " mat", ".", " It", "\n", " \"quoted\"", " é", "中"]
        // 1. Content chunks, new array per chunk (the API the server uses).
        do {
            var enc = ChatStreamEncoder(id: RequestID.chat(), model: "Qwen/Qwen2.5-VL-7B-Instruct", created: 1767225600,
                                        includeUsage: true, continuousUsageStats: false)
            _ = enc.role()
            let n = workload.chunks
            var total = 0
            results.append(measure("chat content chunk -> [UInt8]", operations: n, bytes: 0) {
                for i in 0..<n { total &+= enc.content(tokens[i % tokens.count], usage: nil).count }
            })
            results[results.count - 1].bytes = total
        }
        // 2. Content chunks appended into one reused buffer (batched writes).
        do {
            var enc = ChatStreamEncoder(id: RequestID.chat(), model: "Qwen/Qwen2.5-VL-7B-Instruct", created: 1767225600,
                                        includeUsage: true, continuousUsageStats: false)
            _ = enc.role()
            let n = workload.chunks
            var total = 0
            var buf: [UInt8] = []
            buf.reserveCapacity(64 * 1024)
            results.append(measure("chat content chunk, appended", operations: n, bytes: 0) {
                for i in 0..<n {
                    enc.appendContent(tokens[i % tokens.count], usage: nil, to: &buf)
                    if buf.count > 60_000 {
                        total &+= buf.count
                        buf.removeAll(keepingCapacity: true)
                    }
                }
            })
            results[results.count - 1].bytes = total + buf.count
        }
        // 3. Content chunks with continuous usage stats (guidellm).
        do {
            var enc = ChatStreamEncoder(id: RequestID.chat(), model: "Qwen/Qwen2.5-VL-7B-Instruct", created: 1767225600,
                                        includeUsage: true, continuousUsageStats: true)
            let n = workload.usageChunks
            var total = 0
            results.append(measure("chat content chunk + continuous usage", operations: n, bytes: 0) {
                for i in 0..<n {
                    total &+= enc.content(tokens[i % tokens.count],
                                          usage: Usage(promptTokens: 1234, completionTokens: i & 1023)).count
                }
            })
            results[results.count - 1].bytes = total
        }
        // 4. Request decoding: vllm-bench chat body with a ~100 KB base64 image.
        do {
            let body = benchChatBody(imageBytes: 100_000)
            let n = workload.imageRequestDecodes
            var images = 0
            results.append(measure("decode chat request, 100 KB image", operations: n, bytes: body.count * n) {
                for _ in 0..<n {
                    if let r = try? ChatCompletionRequest.decode(body) { images &+= r.imageCount }
                }
            })
            precondition(images == n)
        }
        // 5. Request decoding: text-only body.
        do {
            let body = benchChatBody(imageBytes: 0)
            let n = workload.textRequestDecodes
            var ok = 0
            results.append(measure("decode chat request, text only", operations: n, bytes: body.count * n) {
                for _ in 0..<n { if (try? ChatCompletionRequest.decode(body)) != nil { ok &+= 1 } }
            })
            precondition(ok == n)
        }
        return results
    }
}
