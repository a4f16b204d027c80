import Foundation
import OpenAIAPI
import Testing
@testable import BenchKit

/// "Peak concurrent requests" as vLLM 0.33.0 computes it (`calculate_metrics` in `vllm/benchmarks/serve.py`):
/// t0 = earliest successful start, int(ceil(max end − t0)) + 1 one-second buckets, and each successful
/// request adds 1 to buckets int(start − t0) … int(start + latency − t0) inclusive; the JSON gets
/// `int(np.max(...))`. The expected values below were worked out by hand with that algorithm.
@Suite struct PeakConcurrencyTests {
    func request(_ start: Double, _ latency: Double, success: Bool = true) -> RequestOutput {
        RequestOutput(success: success, ttft: min(0.05, latency), itl: [], latency: latency, outputTokens: 1, promptLen: 1,
                      startTime: start, error: success ? "" : "x")
    }

    @Test func sequentialShortRequestsCountOncePerBucketTheyTouch() {
        // Four 0.3-s requests back to back: never two at once, but the first bucket sees all four and the
        // last one also touches the second bucket.
        let rs = [request(0, 0.3), request(0.3, 0.3), request(0.6, 0.3), request(0.9, 0.3)]
        #expect(BenchmarkMetrics.peakConcurrencyBuckets(rs) == 4)
        #expect(BenchmarkMetrics.peakConcurrencySweep(rs) == 1)
    }

    @Test func endOnABoundaryCountsInTheNextBucket() {
        // [0, 1.0) ends at 1.0: int(1.0) = 1, so it is counted in bucket 1 together with [1.0, 1.5).
        let rs = [request(0, 1.0), request(1.0, 0.5)]
        #expect(BenchmarkMetrics.peakConcurrencyBuckets(rs) == 2)
        #expect(BenchmarkMetrics.peakConcurrencySweep(rs) == 1)
    }

    @Test func bucketsStartAtTheEarliestSuccessfulStart() {
        // t0 = 100.25 (the failed request at 99 is ignored): buckets [100.25, 101.25), [101.25, 102.25), ...
        // 100.25+0.5 → 0..0; 100.9+0.5 → 0..1; 101.45+0.1 → 1..1; 101.2+2.0 → 0..2; 102.3+0.2 → 2..2.
        let rs = [request(99, 5, success: false), request(100.25, 0.5), request(100.9, 0.5), request(101.45, 0.1),
                  request(101.2, 2.0), request(102.3, 0.2)]
        // bucket 0: r1, r2, r4 = 3; bucket 1: r2, r3, r4 = 3; bucket 2: r4, r5 = 2. At no instant are more than 2 open.
        #expect(BenchmarkMetrics.peakConcurrencyBuckets(rs.filter(\.success)) == 3)
        let m = BenchmarkMetrics(outputs: rs, duration: 3, percentiles: [99])
        #expect(m.maxConcurrentRequests == 3)                          // default --compat = vLLM 0.33.0
        #expect(BenchmarkMetrics(outputs: rs, duration: 3, percentiles: [99], compat: .latest).maxConcurrentRequests == 2)
        #expect(BenchmarkMetrics(outputs: rs, duration: 3, percentiles: [99], compat: .v0_11).maxConcurrentRequests == 3)
    }

    @Test func noSuccessfulRequestGivesZero() {
        #expect(BenchmarkMetrics.peakConcurrencyBuckets([]) == 0)
        #expect(BenchmarkMetrics(outputs: [request(0, 1, success: false)], duration: 1, percentiles: [99]).maxConcurrentRequests == 0)
    }

    @Test func defaultCompatIsTheNewestReleaseAndWritesAnInt() throws {
        // vlbench serve without --compat: the flags, and the options made from them, are vLLM 0.33.0's.
        #expect(BenchmarkFlags().compat == .v0_33)
        #expect(try BenchmarkOptions(flags: BenchmarkFlags()).compat == .v0_33)
        #expect(BenchmarkOptions().compat == .v0_33)
        let rs = [request(0, 0.3), request(0.3, 0.3), request(0.6, 0.3), request(0.9, 0.3)]
        let m = BenchmarkMetrics(outputs: rs, duration: 2, percentiles: [99])
        func peak(_ compat: CompatMode) -> JSONValue? {
            var o = BenchmarkOptions()
            o.compat = compat
            return ResultFile.build(options: o, modelID: "m", tokenizerID: "m", date: "D", outputs: rs,
                                    metrics: BenchmarkMetrics(outputs: rs, duration: 2, percentiles: [99], compat: compat),
                                    duration: 2, detailed: false)["max_concurrent_requests"]
        }
        #expect(peak(.v0_33) == .int(4))
        #expect(peak(.v0_11) == .int(4))
        #expect(peak(.latest) == .double(1))
        // The table prints it with two decimals, as vLLM does ("{:<10.2f}").
        #expect(ResultTable.lines(metrics: m, duration: 2, requestRate: .infinity, maxConcurrency: nil, selected: [])
            .contains("Peak concurrent requests:                4.00      "))
        // JSON keys and value types otherwise match the latest format (rtfx, latencies and queue_times present).
        var o = BenchmarkOptions()
        o.compat = .v0_33
        let r = ResultFile.build(options: o, modelID: "m", tokenizerID: "m", date: "D", outputs: rs, metrics: m, duration: 2, detailed: false)
        #expect(r["rtfx"] == .double(0) && r["latencies"] != nil && r["queue_times"] != nil)
    }
}
