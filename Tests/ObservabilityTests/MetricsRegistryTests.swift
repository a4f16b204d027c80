import Testing
@testable import Observability

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
}
