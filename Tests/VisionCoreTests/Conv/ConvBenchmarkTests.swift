import Foundation
import Testing
@testable import VisionCore

/// The bench-conv report on a tiny shape: one row per implementation plus raw sgemm, all agreeing with direct,
/// and the exact JSON shape the brief specifies. (No timing assertions.)
struct ConvBenchmarkTests {
    @Test func reportShapeAndJSON() throws {
        var messages: [String] = []
        // Keep OpenBLAS's current thread count: other tests call sgemm concurrently.
        let threads = BLAS.threads
        let report = try ConvBenchmark.run(patches: 3, threads: threads, repeats: 2) { messages.append($0) }
        #expect(report.patches == 3)
        #expect(report.threads == threads)
        #expect(report.flops == 2.0 * 3 * 1176 * 1280)
        #expect(report.results.map(\.impl) == ["direct", "conv", "im2col", "gemm", "auto", "sgemm"])
        for r in report.results {
            #expect(r.maxAbsDiff < 1e-4, "\(r.impl)")
            #expect(r.medianMs > 0 && r.gflops > 0 && r.ratioToSgemm > 0)
        }
        #expect(report.results.last?.ratioToSgemm == 1)
        #expect(!messages.isEmpty)

        let object = try JSONSerialization.jsonObject(with: Data(report.json.utf8))
        let json = try #require(object as? [String: Any])
        #expect(Set(json.keys) == ["patches", "threads", "results"])
        #expect(json["patches"] as? Int == 3)
        #expect(json["threads"] as? Int == threads)
        let rows = try #require(json["results"] as? [[String: Any]])
        #expect(rows.count == 6)
        for row in rows {
            #expect(Set(row.keys) == ["impl", "median_ms", "gflops", "ratio_to_sgemm", "max_abs_diff"])
        }
        #expect(rows.contains { $0["impl"] as? String == "sgemm" })
        #expect(report.table.split(separator: "\n").count == 7)
    }

    @Test func median() {
        #expect(ConvBenchmark.median([]) == 0)
        #expect(ConvBenchmark.median([3, 1, 2]) == 2)
        #expect(ConvBenchmark.median([4, 1, 3, 2]) == 2.5)
    }
}
