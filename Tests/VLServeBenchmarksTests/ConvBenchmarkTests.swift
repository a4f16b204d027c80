import Foundation
import Testing
import VisionCore
import VLServeBenchmarks

/// The bench-conv report on a tiny shape: one row per implementation plus raw sgemm, all agreeing with direct,
/// and the JSON keys `vlserve bench-conv --json` has always written. (No timing assertions.)
struct ConvBenchmarkTests {
    /// What `jsonLine()` writes, read back with the same Codable stack.
    struct DecodedReport: Decodable {
        struct Row: Decodable {
            let impl: String
            let median_ms: Double?
            let gflops: Double?
            let ratio_to_sgemm: Double?
            let max_abs_diff: Double?
        }
        let patches: Int
        let threads: Int
        let results: [Row]
    }

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
        #expect(report.table.split(separator: "\n").count == 7)

        let line = try report.jsonLine()
        #expect(!line.contains("\n"))
        let object = try JSONDecoder().decode([String: AnyKeys].self, from: Data(line.utf8))
        #expect(Set(object.keys) == ["patches", "threads", "results"])
        let decoded = try JSONDecoder().decode(DecodedReport.self, from: Data(line.utf8))
        #expect(decoded.patches == 3 && decoded.threads == threads)
        #expect(decoded.results.map(\.impl) == report.results.map(\.impl))
        #expect(decoded.results.last?.ratio_to_sgemm == 1)
    }

    /// Exact bytes for fixed values: rounding to 4 places, sorted keys, and null for a non-finite number.
    @Test func jsonOfFixedRows() throws {
        let report = ConvBenchmarkReport(patches: 4784, threads: 2, repeats: 10, flops: 1, results: [
            ConvBenchmarkRow(impl: "gemm", medianMs: 97.41504, gflops: 147.123456, ratioToSgemm: 0.94921,
                             maxAbsDiff: 4.76837158203125e-06),
            ConvBenchmarkRow(impl: "direct", medianMs: .infinity, gflops: 0, ratioToSgemm: .nan, maxAbsDiff: 0),
        ])
        let line = try report.jsonLine()
        #expect(line == #"{"patches":4784,"results":[{"gflops":147.1235,"impl":"gemm","max_abs_diff":4.76837158203125e-06,"#
            + #""median_ms":97.415,"ratio_to_sgemm":0.9492},{"gflops":0,"impl":"direct","max_abs_diff":0,"#
            + #""median_ms":null,"ratio_to_sgemm":null}],"threads":2}"#)
    }

    @Test func rowKeysAreTheDocumentedOnes() throws {
        let row = ConvBenchmarkRow(impl: "sgemm", medianMs: 1, gflops: 2, ratioToSgemm: 1, maxAbsDiff: 0)
        let keys = try JSONDecoder().decode([String: AnyKeys].self, from: JSONEncoder().encode(row)).keys
        #expect(Set(keys) == ["impl", "median_ms", "gflops", "ratio_to_sgemm", "max_abs_diff"])
    }
}
