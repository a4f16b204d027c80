import Foundation
import Testing
import TextCore
@testable import BenchKit

/// Hand-made records shared with Golden/make_golden.py (keep both in sync).
let handMadeRecords: [RequestOutput] = [
    RequestOutput(success: true, ttft: 0.1, itl: [0.02, 0.03, 0.025], latency: 0.175, outputTokens: 4, promptLen: 10, startTime: 0.0),
    RequestOutput(success: true, ttft: 0.2, itl: [0.05], latency: 0.25, outputTokens: 2, promptLen: 12, startTime: 0.5),
    RequestOutput(success: false, ttft: 0, itl: [], latency: 0, outputTokens: 0, promptLen: 9, startTime: 0.7, error: "boom"),
    RequestOutput(success: true, ttft: 0.15, itl: [], latency: 0.15, outputTokens: 1, promptLen: 8, startTime: 1.2),
    RequestOutput(success: true, ttft: 0.3, itl: [0.01, 0.01, 0.01, 0.01, 0.01], latency: 0.35, outputTokens: 6, promptLen: 20, startTime: 1.3),
    RequestOutput(success: true, ttft: 0.12, itl: [0.2, 0.3], latency: 0.62, outputTokens: 3, promptLen: 30, startTime: 1.45),
]

func approx(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

@Suite struct MetricsTests {
    let m = BenchmarkMetrics(outputs: handMadeRecords, duration: 2.0, percentiles: [50, 90, 99, 99.9],
                             goodput: ["ttft": 250, "tpot": 30])

    @Test func countsAndThroughputs() {
        #expect(m.completed == 5)
        #expect(m.failed == 1)
        #expect(m.totalInput == 80)          // failed request's prompt excluded
        #expect(m.totalOutput == 16)
        #expect(m.actualOutputLens == [4, 2, 0, 1, 6, 3])
        #expect(approx(m.requestThroughput, 2.5))
        #expect(approx(m.outputThroughput, 8))
        #expect(approx(m.totalTokenThroughput, 48))
    }

    @Test func tpotExcludesFirstTokenAndSingleTokenRequests() throws {
        // (0.175-0.1)/3, (0.25-0.2)/1, (0.35-0.3)/5, (0.62-0.12)/2; the 1-token request is excluded.
        let expected = [0.025, 0.05, 0.01, 0.25]
        let s = try #require(m.summaries[.tpot])
        #expect(approx(s.mean, expected.reduce(0, +) / 4 * 1000))
        #expect(approx(s.median, 37.5))
        #expect(approx(s.std, 97.04219443108241))
    }

    @Test func itlIsEveryChunkGapConcatenated() throws {
        let s = try #require(m.summaries[.itl])
        #expect(approx(s.mean, 61.36363636363637))   // 11 samples
        #expect(approx(s.median, 20))
        #expect(approx(s.percentiles[3].1, 299.0000000000002))
    }

    @Test func percentilesMatchNumpyLinear() throws {
        let s = try #require(m.summaries[.ttft])
        #expect(s.percentiles.map(\.0) == [50, 90, 99, 99.9])
        #expect(approx(s.percentiles[1].1, 260))
        #expect(approx(s.percentiles[2].1, 296))
        #expect(approx(s.percentiles[3].1, 299.6))
        #expect(approx(s.std, 71.442284397967))
        let e = try #require(m.summaries[.e2el])
        #expect(approx(e.percentiles[2].1, 609.1999999999999))
        #expect(Statistics.percentile([], 99) == 0)
        #expect(Statistics.percentile([3, 1, 2], 50) == 2)
        #expect(Statistics.percentile([1, 2, 3, 4], 25) == 1.75)
    }

    @Test func goodputCountsRequestsMeetingEverySLO() {
        // ttft ≤ 250 ms and tpot ≤ 30 ms: r0 (100 ms, 25 ms) and r3 (150 ms, tpot 0 for 1 token).
        #expect(m.requestGoodput.map { approx($0, 1.0) } == true)
        let none = BenchmarkMetrics(outputs: handMadeRecords, duration: 2, percentiles: [99])
        #expect(none.requestGoodput == nil)
    }

    @Test func peakRows() {
        #expect(m.maxOutputTokensPerS == 9)
        #expect(m.maxConcurrentRequests == 3)   // vLLM 0.33.0's 1-s buckets (the default --compat)
        #expect(BenchmarkMetrics(outputs: handMadeRecords, duration: 2, percentiles: [99], compat: .latest).maxConcurrentRequests == 2)
        // Back-to-back requests do not overlap with the sweep line, but the 1-s buckets count both.
        let seq = [RequestOutput(success: true, ttft: 0.1, itl: [], latency: 0.4, outputTokens: 1, promptLen: 1, startTime: 0),
                   RequestOutput(success: true, ttft: 0.1, itl: [], latency: 0.4, outputTokens: 1, promptLen: 1, startTime: 0.4)]
        #expect(BenchmarkMetrics.peakConcurrencySweep(seq) == 1)
        #expect(BenchmarkMetrics.peakConcurrencyBuckets(seq) == 2)
    }

    @Test func emptyRunYieldsZeros() throws {
        let e = BenchmarkMetrics(outputs: [], duration: 1, percentiles: [99])
        #expect(e.completed == 0)
        #expect(try #require(e.summaries[.ttft]).mean == 0)
        #expect(e.maxOutputTokensPerS == 0)
    }

    @Test func missingUsageFallsBackToTokenCount() {
        let o = [RequestOutput(success: true, ttft: 0.1, itl: [0.1], latency: 0.2, outputTokens: 0, promptLen: 3, generatedText: "the red cat")]
        #expect(BenchmarkMetrics(outputs: o, duration: 1, percentiles: [99], countTokens: { Tokenizer().tokenCount($0) }).totalOutput == 3)
        #expect(BenchmarkMetrics(outputs: o, duration: 1, percentiles: [99]).totalOutput == 1)
    }
}

@Suite struct TableTests {
    @Test func tableMatchesGoldenFile() throws {
        let m = BenchmarkMetrics(outputs: handMadeRecords, duration: 2.0, percentiles: [50, 90, 99, 99.9],
                                 goodput: ["ttft": 250, "tpot": 30])
        let text = ResultTable.render(metrics: m, duration: 2.0, requestRate: 4, maxConcurrency: 8,
                                      selected: [.e2el, .ttft, .tpot, .itl])
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/serving_table.txt")
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected)
    }

    @Test func headersAndRows() {
        #expect(ResultTable.centered("Time to First Token", fill: "-") == String(repeating: "-", count: 15) + "Time to First Token" + String(repeating: "-", count: 16))
        #expect(ResultTable.row("Successful requests:", 200) == "Successful requests:                     200       ")
        #expect(ResultTable.percentileWord(99) == "99")
        #expect(ResultTable.percentileWord(99.9) == "99.9")
        #expect(ResultTable.format2(2.675) == "2.67")   // binary value below 2.675, as Python
    }

    @Test func defaultTableOmitsOptionalRows() {
        let m = BenchmarkMetrics(outputs: handMadeRecords, duration: 2.0, percentiles: [99])
        let lines = ResultTable.lines(metrics: m, duration: 2, requestRate: .infinity, maxConcurrency: nil,
                                      selected: [.ttft, .tpot, .itl])
        #expect(!lines.contains { $0.hasPrefix("Request rate configured") || $0.hasPrefix("Maximum request") || $0.hasPrefix("Request goodput") })
        #expect(!lines.contains { $0.contains("E2EL") })
        #expect(lines.count == 11 + 3 * 4 + 1)
    }

    @Test func failuresAreListedCappedAtTen() {
        var outs = [RequestOutput]()
        for k in 0..<12 { var o = RequestOutput(); o.error = "e\(k)"; outs.append(o) }
        let l = ResultTable.failureLines(outs)
        #expect(l.count == 11)
        #expect(l[0] == "Failed requests during benchmark run detected (capping to 10):")
        #expect(l[10] == "Error 9: e9")
        #expect(ResultTable.failureLines(handMadeRecords.filter(\.success)).isEmpty)
    }
}
