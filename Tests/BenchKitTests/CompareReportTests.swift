import Foundation
import OpenAIAPI
import Testing
@testable import BenchKit

@Suite struct CompareReportTests {
    func column(_ name: String, scale: Double, phases: PhaseTimings? = nil) -> ReportColumn {
        let outs = handMadeRecords.map { o -> RequestOutput in
            var o = o
            o.ttft *= scale; o.latency *= scale; o.itl = o.itl.map { $0 * scale }
            return o
        }
        return ReportColumn(name: name, metrics: BenchmarkMetrics(outputs: outs, duration: 2 * scale, percentiles: [50, 99]),
                            duration: 2 * scale, phases: phases)
    }

    @Test func percentChange() {
        #expect(CompareReport.change(110, base: 100) == "+10.0%")
        #expect(CompareReport.change(90, base: 100) == "-10.0%")
        #expect(CompareReport.change(100, base: 100) == "0.0%")
        #expect(CompareReport.change(5, base: 0) == "n/a")
    }

    @Test func markdownTableAgainstFirstVariant() {
        let before = PrometheusText("""
        # HELP x
        vlserve:request_image_preprocess_seconds_sum{model_name="m"} 1.0
        vlserve:request_image_preprocess_seconds_count{model_name="m"} 10
        vlserve:request_vision_encoder_seconds_sum{conv="gemm"} 0.5
        vlserve:request_vision_encoder_seconds_count{conv="gemm"} 10
        """)
        let after = PrometheusText("""
        vlserve:request_image_preprocess_seconds_sum{model_name="m"} 1.174
        vlserve:request_image_preprocess_seconds_count{model_name="m"} 12
        vlserve:request_vision_encoder_seconds_sum{conv="gemm"} 0.5174
        vlserve:request_vision_encoder_seconds_count{conv="gemm"} 12
        """)
        let phases = PhaseTimings(before: before, after: after)
        #expect(abs((phases.mean("vlserve:request_image_preprocess_seconds") ?? 0) - 0.087) < 1e-9)
        let md = CompareReport.markdown([column("direct", scale: 1, phases: phases), column("gemm", scale: 0.5, phases: phases)],
                                        workload: "test", percentiles: [50, 99])
        #expect(md.contains("| Metric | direct | gemm | Δ vs direct |"))
        #expect(md.contains("| Mean TTFT (ms) | 174.00 | 87.00 | -50.0% |"))
        #expect(md.contains("| Request throughput (req/s) | 2.50 | 5.00 | +100.0% |"))
        #expect(md.contains("| image preprocessing | 87.00 | 87.00 |"))
        #expect(md.contains("| image preprocessing | 50.0% (87.00 of 174.00 ms) | 100.0% (87.00 of 87.00 ms) |"))
        #expect(!md.contains("P50 TTFT"))    // the median row already shows it
    }

    @Test func svgHasOneBarPerVariantAndPanel() {
        let svg = CompareReport.svg([column("direct", scale: 1), column("im2col", scale: 0.8), column("a<b", scale: 0.5)])
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 12)
        #expect(svg.contains("a&lt;b") && !svg.contains("a<b"))
        #expect(svg.contains("Mean TTFT (ms)") && svg.contains("Output throughput (tok/s)"))
    }

    @Test func prometheusSumsLabelSets() {
        let p = PrometheusText("a_total{x=\"1\"} 2\na_total{x=\"2\"} 3\n# c\nb 1.5e2\n")
        #expect(p["a_total"] == 5)
        #expect(p["b"] == 150)
    }

    @Test func variantParsing() {
        #expect(ServerVariant.convImpls("direct, im2col,gemm").map(\.arguments) ==
            [["--conv-impl", "direct"], ["--conv-impl", "im2col"], ["--conv-impl", "gemm"]])
        #expect(ServerVariant.parse("small=--max-num-seqs 8 --log-level 'warning'") ==
            ServerVariant(name: "small", arguments: ["--max-num-seqs", "8", "--log-level", "warning"]))
        #expect(ServerVariant.parse("--max-num-seqs 8").name == "--max-num-seqs 8")
        #expect(ServerProcess.listeningPort(inLog: "/nonexistent") == nil)
    }

    @Test func endpointParsing() throws {
        #expect(try ServerEndpoint.parse(baseURL: "http://h:9000/") == ServerEndpoint(host: "h", port: 9000))
        #expect(try ServerEndpoint.parse(baseURL: "http://[::1]:8000/p") == ServerEndpoint(host: "::1", port: 8000, basePath: "/p"))
        #expect(try ServerEndpoint.parse(baseURL: "http://example").port == 80)
        #expect(throws: DatasetError.self) { try ServerEndpoint.parse(baseURL: "https://h") }
        #expect(throws: DatasetError.self) { try ServerEndpoint.parse(baseURL: "h:80") }
        #expect(ServerEndpoint(host: "::1", port: 1).baseURL == "http://[::1]:1")
    }

    @Test func resultFileKeysAndName() throws {
        var o = BenchmarkOptions()
        o.backend = .openaiChat
        o.requestRate = 16
        o.maxConcurrency = 4
        o.metadata = [("run", "a")]
        o.percentileMetrics = [.ttft, .itl]
        o.metricPercentiles = [99, 99.9]
        let m = BenchmarkMetrics(outputs: handMadeRecords, duration: 2, percentiles: [99, 99.9])
        let r = ResultFile.build(options: o, modelID: "org/model", tokenizerID: "org/model", date: "20260101-000000",
                                 outputs: handMadeRecords, metrics: m, duration: 2, detailed: false)
        let keys = r.objectValue!.map(\.0)
        #expect(Array(keys.prefix(12)) == ["date", "endpoint_type", "backend", "label", "model_id", "tokenizer_id", "num_prompts",
                                           "run", "request_rate", "burstiness", "max_concurrency", "duration"])
        #expect(keys.contains("latencies") && keys.contains("queue_times") && !keys.contains("itls") && !keys.contains("errors"))
        #expect(Array(keys.suffix(10)) == ["mean_ttft_ms", "median_ttft_ms", "std_ttft_ms", "p99_ttft_ms", "p99.9_ttft_ms",
                                           "mean_itl_ms", "median_itl_ms", "std_itl_ms", "p99_itl_ms", "p99.9_itl_ms"])
        #expect(keys.contains("p99.9_itl_ms"))
        #expect(ResultFile.defaultFilename(options: o, modelID: "org/model", date: "D") == "openai-chat-16.0qps-concurrency4-model-D.json")
        o.requestRate = .infinity
        o.maxConcurrency = nil
        o.label = "x"
        #expect(ResultFile.defaultFilename(options: o, modelID: "m", date: "D") == "x-infqps-m-D.json")
        let inf = ResultFile.build(options: o, modelID: "m", tokenizerID: "m", date: "D", outputs: [], metrics: BenchmarkMetrics(outputs: [], duration: 1, percentiles: [99]), duration: 1, detailed: true)
        #expect(inf["request_rate"] == .string("inf"))
        var old = o
        old.compat = .v0_11
        let v011 = ResultFile.build(options: old, modelID: "m", tokenizerID: "m", date: "D", outputs: [], metrics: BenchmarkMetrics(outputs: [], duration: 1, percentiles: [99]), duration: 1, detailed: false)
        #expect(v011["latencies"] == nil && v011["queue_times"] == nil && v011["rtfx"] == nil)
        #expect(ResultTable.lines(metrics: m, duration: 2, requestRate: 1, maxConcurrency: nil, selected: [], compat: .v0_11)
            .contains { $0.hasPrefix("Total Token throughput (tok/s):") })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-res-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try ResultFile.write(inf, dir: dir, filename: "r.json", append: true)
        try ResultFile.write(inf, dir: dir, filename: "r.json", append: true)
        let text = try String(contentsOfFile: p, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(try JSONParser.parse(String(text.split(separator: "\n")[1]))["label"] == .string("x"))
    }
}

@Suite struct ResultSummaryTests {
    @Test func tabulatesResultFilesLikeVLLMAscend() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-sum-\(getpid())/scenario_a").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try #"{"variant": "gemm", "request_rate": 16.0, "request_throughput": 14.25, "output_throughput": 1718.9, "median_ttft_ms": 188.9, "median_tpot_ms": 20.9, "median_itl_ms": 17.6}"#
            .write(toFile: dir + "/gemm.json", atomically: true, encoding: .utf8)
        try #"{"label": null, "request_rate": "inf", "request_throughput": 1}"# .write(toFile: dir + "/x.json", atomically: true, encoding: .utf8)
        let md = try ResultSummary.markdown(files: [dir + "/x.json", dir + "/gemm.json"])
        let lines = md.split(separator: "\n").map(String.init)
        #expect(lines[0] == "| Test | Variant | Request rate (req/s) | Tput (req/s) | Output Tput (tok/s) | TTFT (ms) | TPOT (ms) | ITL (ms) |")
        #expect(lines[2] == "| scenario_a | gemm | 16.0 | 14.25 | 1718.90 | 188.90 | 20.90 | 17.60 |")
        #expect(lines[3] == "| scenario_a | x | inf | 1.00 | n/a | n/a | n/a | n/a |")
        #expect(throws: BenchmarkError.self) { try ResultSummary.markdown(files: [dir + "/missing.json"]) }
    }
}
