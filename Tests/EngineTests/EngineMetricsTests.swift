import Observability
import Testing
@testable import Engine

@Suite struct EngineMetricsTests {
    @Test func vllmBucketsMatchTheSpec() {
        #expect(EngineMetrics.oneTwoFiveBuckets(upTo: 1000) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
        #expect(EngineMetrics.oneTwoFiveBuckets(upTo: 4096) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000])
    }

    /// Each histogram is rendered with its table's buckets, in ascending order (Prometheus requires it), then +Inf.
    @Test func histogramsRenderTheirBucketTablesInOrder() {
        let registry = MetricsRegistry()
        _ = EngineMetrics(registry: registry, modelName: "m", maxModelLen: 4096, encoderLabels: [("conv_impl", "gemm")])
        let lines = registry.render().split(separator: "\n")
        func bounds(_ name: String) -> [String] {
            lines.filter { $0.hasPrefix(name + "_bucket{") }.compactMap { line in
                line.split(separator: "le=\"").last?.split(separator: "\"").first.map(String.init)
            }
        }
        let tables: [(String, [Double])] = [
            ("vllm:time_to_first_token_seconds", EngineMetrics.ttftBuckets),
            ("vllm:inter_token_latency_seconds", EngineMetrics.itlBuckets),
            ("vllm:request_time_per_output_token_seconds", EngineMetrics.itlBuckets),
            ("vllm:e2e_request_latency_seconds", EngineMetrics.requestLatencyBuckets),
            ("vllm:request_queue_time_seconds", EngineMetrics.requestLatencyBuckets),
            ("vllm:request_prompt_tokens", EngineMetrics.oneTwoFiveBuckets(upTo: 4096)),
        ]
        for (name, table) in tables {
            let rendered = bounds(name)
            #expect(rendered.last == "+Inf", "\(name)")
            let values = rendered.dropLast().compactMap(Double.init)
            #expect(values == table, "\(name)")
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(name) is not ascending")
        }
    }
}
