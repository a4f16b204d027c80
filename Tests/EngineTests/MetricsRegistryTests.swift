import Testing
@testable import Engine

@Suite struct MetricsRegistryTests {
    @Test func rendersPrometheusText() {
        let registry = MetricsRegistry()
        let counter = registry.counter("vllm:prompt_tokens", help: "Prompt tokens.", labels: [("model_name", "m")])
        counter.increment(by: 12)
        let histogram = registry.histogram("x_seconds", help: "X.", buckets: [0.1, 1], labels: [("a", "q\"uote")])
        histogram.observe(0.05)
        histogram.observe(0.5)
        histogram.observe(5)
        let gauge = registry.gauge("g", help: "G.", reader: { 3 })
        _ = gauge
        #expect(registry.render() == """
        # HELP vllm:prompt_tokens_total Prompt tokens.
        # TYPE vllm:prompt_tokens_total counter
        vllm:prompt_tokens_total{model_name="m"} 12.0
        # HELP x_seconds X.
        # TYPE x_seconds histogram
        x_seconds_bucket{a="q\\"uote",le="0.1"} 1.0
        x_seconds_bucket{a="q\\"uote",le="1.0"} 2.0
        x_seconds_bucket{a="q\\"uote",le="+Inf"} 3.0
        x_seconds_count{a="q\\"uote"} 3.0
        x_seconds_sum{a="q\\"uote"} 5.55
        # HELP g G.
        # TYPE g gauge
        g 3.0

        """)
    }

    @Test func sameLabelsReturnTheSameChild() {
        let registry = MetricsRegistry()
        let a = registry.counter("c", help: "C.", labels: [("k", "v")])
        let b = registry.counter("c", help: "C.", labels: [("k", "v")])
        #expect(a === b)
    }

    @Test func vllmBucketsMatchTheSpec() {
        #expect(EngineMetrics.oneTwoFiveBuckets(upTo: 1000) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
        #expect(EngineMetrics.oneTwoFiveBuckets(upTo: 4096) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000])
    }

    /// Each histogram is rendered with its table's buckets, in ascending order (Prometheus requires it), then +Inf.
    @Test func histogramsRenderTheirBucketTablesInOrder() {
        let registry = MetricsRegistry()
        _ = EngineMetrics(registry: registry, modelName: "m", maxModelLen: 4096, convImplementation: "gemm")
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
