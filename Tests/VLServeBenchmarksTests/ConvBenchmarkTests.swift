import Foundation
import Testing
import VisionCore
import VLServeBenchmarks

/// The bench-conv report on a tiny shape: one row per implementation × backend × dtype plus the raw library
/// calls, all agreeing with direct, and the JSON keys `vlserve bench-conv --json` writes (the earlier ones keep
/// their meaning). (No timing assertions.)
struct ConvBenchmarkTests {
    /// What `jsonLine()` writes, read back with the same Codable stack.
    struct DecodedReport: Decodable {
        struct Row: Decodable {
            let impl: String
            let backend: String
            let dtype: String
            let kernel: String
            let ratio_to_raw: Double?
            let median_ms: Double?
            let gflops: Double?
            let ratio_to_sgemm: Double?
            let max_abs_diff: Double?
        }
        let patches: Int
        let threads: Int
        let results: [Row]
        let cpu: String
        let cpu_features: [String]
        let blas_core: String
        let onednn: String
    }

    @Test func reportShapeAndJSON() throws {
        var messages: [String] = []
        // Keep OpenBLAS's current thread count: other tests call sgemm concurrently.
        let threads = BLAS.threads
        let report = try ConvBenchmark.run(patches: 3, threads: threads, repeats: 2) { messages.append($0) }
        #expect(report.patches == 3)
        #expect(report.threads == threads)
        #expect(report.flops == 2.0 * 3 * 1176 * 1280)
        // direct once, then per configuration its raw call and every implementation (conv only on onednn).
        var expected = ["direct/none/float32"]
        for gemm in ConvBenchmark.configurations() {
            expected.append((gemm.backend == .openblas ? "sgemm" : "onednn-matmul") + "/\(gemm.backend.rawValue)/\(gemm.dtype.rawValue)")
            for impl in Conv3dImplementation.allCases where impl != .direct && (impl != .conv || gemm.backend == .onednn) {
                expected.append("\(impl.rawValue)/\(gemm.backend.rawValue)/\(gemm.dtype.rawValue)")
            }
        }
        #expect(report.results.map { "\($0.impl)/\($0.backend)/\($0.dtype)" } == expected)
        for r in report.results {
            // float32 rows agree with direct to rounding; bfloat16 rows within bf16's error on these inputs.
            #expect(r.maxAbsDiff < (r.dtype == "bfloat16" ? 0.05 : 1e-4), "\(r.impl) \(r.backend) \(r.dtype)")
            #expect(r.medianMs > 0 && r.gflops > 0 && r.ratioToSgemm > 0)
            #expect(r.impl == "direct" || !r.kernel.isEmpty)
        }
        #expect(report.results.first { $0.impl == "sgemm" }?.ratioToSgemm == 1)
        #expect(report.results.filter { $0.impl == "sgemm" || $0.impl == "onednn-matmul" }.allSatisfy { $0.ratioToRaw == 1 })
        #expect(!messages.isEmpty)
        #expect(report.table.split(separator: "\n").count == expected.count + 2)
        #expect(report.cpu == CPUFeatures.modelName && report.blasCore == BLAS.coreName)

        let line = try report.jsonLine()
        #expect(!line.contains("\n"))
        let object = try JSONDecoder().decode([String: AnyKeys].self, from: Data(line.utf8))
        #expect(Set(object.keys) == ["patches", "threads", "results", "cpu", "cpu_features", "blas_core", "onednn"])
        let decoded = try JSONDecoder().decode(DecodedReport.self, from: Data(line.utf8))
        #expect(decoded.patches == 3 && decoded.threads == threads)
        #expect(decoded.results.map(\.impl) == report.results.map(\.impl))
        #expect(decoded.results.first { $0.impl == "sgemm" }?.ratio_to_sgemm == 1)
        #expect(decoded.onednn.hasPrefix("2.") && decoded.cpu_features == CPUFeatures.current.names)
    }

    /// Exact bytes for fixed values: rounding to 4 places, sorted keys, and null for a non-finite number.
    @Test func jsonOfFixedRows() throws {
        let report = ConvBenchmarkReport(patches: 4784, threads: 2, repeats: 10, flops: 1, results: [
            ConvBenchmarkRow(impl: "gemm", backend: "onednn", dtype: "bfloat16", kernel: "k", medianMs: 97.41504,
                             gflops: 147.123456, ratioToSgemm: 0.94921, ratioToRaw: 1.012345,
                             maxAbsDiff: 4.76837158203125e-06),
            ConvBenchmarkRow(impl: "direct", medianMs: .infinity, gflops: 0, ratioToSgemm: .nan, maxAbsDiff: 0),
        ], cpu: "c", cpuFeatures: ["avx2"], blasCore: "Haswell", onednn: "2.6.3")
        let line = try report.jsonLine()
        #expect(line == #"{"blas_core":"Haswell","cpu":"c","cpu_features":["avx2"],"onednn":"2.6.3","patches":4784,"#
            + #""results":[{"backend":"onednn","dtype":"bfloat16","gflops":147.1235,"impl":"gemm","kernel":"k","#
            + #""max_abs_diff":4.76837158203125e-06,"median_ms":97.415,"ratio_to_raw":1.0123,"ratio_to_sgemm":0.9492},"#
            + #"{"backend":"openblas","dtype":"float32","gflops":0,"impl":"direct","kernel":"","max_abs_diff":0,"#
            + #""median_ms":null,"ratio_to_raw":null,"ratio_to_sgemm":null}],"threads":2}"#)
    }

    @Test func rowKeysAreTheDocumentedOnes() throws {
        let row = ConvBenchmarkRow(impl: "sgemm", medianMs: 1, gflops: 2, ratioToSgemm: 1, maxAbsDiff: 0)
        let keys = try JSONDecoder().decode([String: AnyKeys].self, from: JSONEncoder().encode(row)).keys
        #expect(Set(keys) == ["impl", "backend", "dtype", "kernel", "median_ms", "gflops", "ratio_to_sgemm", "ratio_to_raw",
                              "max_abs_diff"])
    }
}
