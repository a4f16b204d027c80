import Testing
@testable import Engine

@Suite struct EngineMetricsTests {
    @Test func vllmBucketsMatchTheSpec() {
        #expect(EngineMetrics.oneTwoFiveBuckets(upTo: 1000) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
        #expect(EngineMetrics.ttftBuckets.count == 22)
        #expect(EngineMetrics.itlBuckets.count == 19)
        #expect(EngineMetrics.requestLatencyBuckets.last == 7680)
    }
}
