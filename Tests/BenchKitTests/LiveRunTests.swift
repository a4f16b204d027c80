import Foundation
import OpenAIAPI
import Testing
@testable import BenchKit

final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var lines: [String] { lock.withLock { items } }
}

func chatOptions(port: Int, prompts: Int) -> BenchmarkOptions {
    var o = BenchmarkOptions()
    o.backend = .openaiChat
    o.endpointPath = "/v1/chat/completions"
    o.endpoint = ServerEndpoint(host: "127.0.0.1", port: port)
    var d = RandomDataset()
    d.inputLen = 16
    d.outputLen = 4
    o.dataset = .random(d)
    o.numPrompts = prompts
    o.requestRate = 200
    o.disableProgress = true
    o.requestIDPrefix = "bench-test-"
    return o
}

@Suite(.serialized) struct LiveRunTests {
    @Test func runAgainstMockSSEServer() async throws {
        let server = try MockSSEServer(tokens: 4, gapMicros: 1000)
        defer { server.stop() }
        var o = chatOptions(port: server.port, prompts: 40)
        o.maxConcurrency = 8
        o.percentileMetrics = [.ttft, .tpot, .itl, .e2el]
        let log = LineLog()
        let r = try await BenchmarkRunner.run(o, log: log.add)
        #expect(r.modelID == "mock/tokenizer")                  // /v1/models data[0].root, as vLLM 0.33.0
        #expect(r.metrics.completed == 40 && r.metrics.failed == 0)
        #expect(r.metrics.totalOutput == 160)
        #expect(r.metrics.totalInput == 40 * 111)                // server usage.prompt_tokens (latest)
        // Never more than 8 at once; vLLM 0.33.0's 1-s buckets (the default) count every short request of a second.
        #expect(BenchmarkMetrics.peakConcurrencySweep(r.outputs.filter(\.success)) <= 8)
        #expect(r.metrics.maxConcurrentRequests == Double(BenchmarkMetrics.peakConcurrencyBuckets(r.outputs.filter(\.success))))
        #expect(r.peakInFlight <= 8)
        for out in r.outputs {
            #expect(out.success)
            #expect(out.itl.count == 3)                          // role chunk skipped (0.33): 4 token chunks, TTFT at the first
            #expect(out.generatedText == "t0 t1 t2 t3 ")
            #expect(abs(out.itl.reduce(0, +) - (out.latency - out.ttft)) < 1e-9)
            #expect(out.ttft > 0 && out.latency > out.ttft)
        }
        let lines = log.lines
        #expect(lines.contains("============ Serving Benchmark Result ============"))
        #expect(lines.contains("Skipping endpoint ready check."))
        #expect(lines.contains { $0.hasPrefix("Successful requests:                     40") })
        #expect(lines.contains { $0.hasPrefix("Maximum request concurrency:             8") })
        #expect(r.result["completed"] == .int(40))
        #expect(r.result["model_id"] == .string("mock/tokenizer"))   // the root (vLLM 0.33.0); requests name "mock-model"
        #expect(r.result["max_concurrency"] == .int(8))
        #expect(r.result["ttfts"] == nil)                        // only with --save-detailed
        #expect(r.result["p99_e2el_ms"] != nil)
    }

    @Test func failuresAreCountedAndListed() async throws {
        let server = try MockSSEServer(tokens: 2, gapMicros: 100)
        defer { server.stop() }
        var o = chatOptions(port: server.port, prompts: 3)
        o.model = "m"
        o.extraBody = [("note", .string("FAIL"))]
        o.saveDetailed = true
        let log = LineLog()
        let r = try await BenchmarkRunner.run(o, log: log.add)
        #expect(r.metrics.failed == 3)
        #expect(r.outputs.allSatisfy { $0.error == "Internal Server Error" })
        #expect(log.lines.contains("Failed requests during benchmark run detected (capping to 10):"))
        #expect(log.lines.contains("Error 0: Internal Server Error"))
        #expect(r.result["errors"] == .array(Array(repeating: .string("Internal Server Error"), count: 3)))
    }

    @Test func refusedConnectionsFailEveryRequest() async throws {
        let port = try ServerProcess.freePort()
        var o = chatOptions(port: port, prompts: 2)
        o.model = "m"
        let r = try await BenchmarkRunner.run(o, log: { _ in })
        #expect(r.metrics.failed == 2)
        #expect(r.outputs[0].error.contains("Cannot connect"))
    }

    /// The vlserve binary built next to the tests (or `VLSERVE_BIN`) and the bundled model config; nil when
    /// either is missing (the tests that need them are then reported as skipped, with the reason).
    static let vlserve: (bin: String, modelDir: String)? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var bin = dir.appendingPathComponent("vlserve").path
        if !FileManager.default.isExecutableFile(atPath: bin) {
            bin = dir.deletingLastPathComponent().appendingPathComponent("vlserve").path
        }
        if let env = ProcessInfo.processInfo.environment["VLSERVE_BIN"] { bin = env }
        let modelDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models/qwen2.5-vl-7b").path
        guard FileManager.default.isExecutableFile(atPath: bin), FileManager.default.fileExists(atPath: modelDir) else {
            return nil
        }
        return (bin, modelDir)
    }()

    /// The real server, when its binary was built next to the tests (`swift build` builds it).
    @Test(.enabled(if: LiveRunTests.vlserve != nil,
                   "no vlserve binary next to the tests (or in $VLSERVE_BIN): run `swift build` first"))
    func liveRunAgainstVLServe() async throws {
        let (bin, modelDir) = try #require(Self.vlserve)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-live-\(getpid()).log").path
        let server = try ServerProcess(executable: bin, arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--model-dir", modelDir,
                                                                   "--decode-step-ms", "2"],
                                       port: 0, logPath: log)
        defer { server.stop() }
        try await server.waitUntilHealthy(timeout: 120)
        #expect(server.port > 0)
        var o = chatOptions(port: server.port, prompts: 12)
        o.percentileMetrics = [.ttft, .tpot, .itl, .e2el]
        let r = try await BenchmarkRunner.run(o, log: { _ in })
        #expect(r.metrics.completed == 12, "errors: \(r.outputs.map(\.error))")
        #expect(r.metrics.totalOutput == 12 * 4)                 // ignore_eos is automatic for random
        #expect(r.outputs.allSatisfy { $0.itl.count >= 3 })
        let phases = PhaseTimings(before: try #require(r.serverMetricsBefore), after: try #require(r.serverMetricsAfter))
        #expect(phases.mean("vllm:request_prefill_time_seconds") != nil)
    }

    /// `vlbench compare` end to end: two conv implementations, two interleaved runs each, same seeded
    /// text workload; a variant whose server fails is reported, and the TTFT breakdown adds up.
    @Test(.enabled(if: LiveRunTests.vlserve != nil,
                   "no vlserve binary next to the tests (or in $VLSERVE_BIN): run `swift build` first"))
    func compareTwoVariants() async throws {
        let (bin, modelDir) = try #require(Self.vlserve)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-compare-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var o = chatOptions(port: 0, prompts: 6)
        o.requestRate = .infinity
        var cmp = VariantComparison(vlservePath: bin, commonServerArguments: ["--model-dir", modelDir, "--decode-step-ms", "1"],
                                    variants: try ServerVariant.convImpls("im2col") + [ServerVariant.parse("bad=--conv-impl nonsense")]
                                        + ServerVariant.convImpls("gemm"),
                                    outputDir: out, benchmark: o, repeats: 2)
        cmp.healthTimeout = 120
        let progress = LineLog()
        let results = try await cmp.run(log: { _ in }, progress: progress.add)
        #expect(results.map(\.variant.name) == ["im2col", "gemm", "gemm", "im2col"])
        #expect(progress.lines.count == 6 && progress.lines[0].hasPrefix("[compare] run 1/6: variant im2col, repeat 1/2; 5 runs remain"))
        #expect(results.allSatisfy { $0.run.metrics.completed == 6 })
        for r in results {
            let b = try #require(r.column.breakdown)
            // The server's phases add up to its TTFT, and with the client remainder to the client's TTFT.
            #expect(abs(b.serverPhasesMs - b.serverTTFTms) <= 1e-6 * max(1, b.serverTTFTms))
            #expect(abs(b.rowsMs.reduce(0, +) - b.clientTTFTms) <= 0.01 * b.clientTTFTms)
        }
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(md.contains("| Metric | im2col | gemm | Δ vs im2col |"))
        #expect(md.contains("| Mean TTFT (ms) | ") && md.contains(" ± "))
        #expect(md.contains("| **total = client mean TTFT** |"))
        #expect(md.contains("## Failed runs") && md.contains("- `bad run 1`: "))
        #expect(FileManager.default.fileExists(atPath: out + "/chart.svg") && FileManager.default.fileExists(atPath: out + "/ttft-cdf.svg"))
        let json = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: out + "/gemm-run2.json"))))
        #expect(json["variant"] == .string("gemm") && json["repeat"] == .string("2") && json["completed"] == .int(6))
    }
}
