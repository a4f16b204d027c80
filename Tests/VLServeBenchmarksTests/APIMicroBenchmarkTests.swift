import OpenAIAPI
import Testing
import VLServeBenchmarks

/// `vlserve bench-api` with a tiny workload: the five cases in order, each counting its operations and bytes.
struct APIMicroBenchmarkTests {
    @Test func benchBodyIsAVLLMChatRequestWithOneImage() throws {
        let body = APIMicroBenchmark.benchChatBody(imageBytes: 1_000)
        let request = try ChatCompletionRequest.decode(body)
        #expect(request.imageCount == 1)
        #expect(request.stream)
        let textOnly = APIMicroBenchmark.benchChatBody(imageBytes: 0)
        #expect(body.count - textOnly.count == 1_000)
    }

    @Test func tinyWorkloadRunsEveryCase() {
        let workload = APIMicroBenchmark.Workload(chunks: 50, usageChunks: 20, imageRequestDecodes: 2,
                                                  textRequestDecodes: 5)
        let results = APIMicroBenchmark.run(workload: workload)
        #expect(results.map(\.name) == ["chat content chunk -> [UInt8]", "chat content chunk, appended",
                                        "chat content chunk + continuous usage", "decode chat request, 100 KB image",
                                        "decode chat request, text only"])
        #expect(results.map(\.operations) == [50, 50, 20, 2, 5])
        for r in results {
            #expect(r.bytes > 0 && r.cpuSeconds > 0, "\(r.name)")
            #expect(r.description.hasPrefix("\(r.name): ") && r.description.contains("ops/s per core"))
        }
        #expect(results[3].bytes == 2 * APIMicroBenchmark.benchChatBody(imageBytes: 100_000).count)
    }

    @Test func scaledWorkload() {
        #expect(APIMicroBenchmark.Workload.scaled(1) == APIMicroBenchmark.Workload(
            chunks: 2_000_000, usageChunks: 1_000_000, imageRequestDecodes: 5_000, textRequestDecodes: 200_000))
        #expect(APIMicroBenchmark.Workload.scaled(0) == .scaled(1))
        #expect(APIMicroBenchmark.Workload.scaled(3).textRequestDecodes == 600_000)
    }
}
