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

    /// /metrics text with the TTFT histogram and the seven phase histograms after `n` requests.
    func metricsText(requests n: Double, phasesMs: [Double], serverTTFTms: Double) -> String {
        var lines = ["vllm:time_to_first_token_seconds_sum{model_name=\"m\"} \(serverTTFTms / 1000 * n)",
                     "vllm:time_to_first_token_seconds_count{model_name=\"m\"} \(n)"]
        for (i, phase) in TTFTBreakdown.serverPhases.enumerated() {
            lines.append("\(phase.metric)_sum{model_name=\"m\"} \(phasesMs[i] / 1000 * n)")
            lines.append("\(phase.metric)_count{model_name=\"m\"} \(n)")
        }
        return lines.joined(separator: "\n")
    }

    /// 10 earlier requests at half these times, then 4 in the run at these times.
    func breakdownPhases(_ phasesMs: [Double]) -> PhaseTimings {
        let server = phasesMs.reduce(0, +)
        return PhaseTimings(before: PrometheusText(metricsText(requests: 10, phasesMs: phasesMs.map { $0 / 2 }, serverTTFTms: server / 2)),
                            after: PrometheusText(metricsText(requests: 14, phasesMs: phasesMs.map { ($0 / 2 * 10 + $0 * 4) / 14 },
                                                              serverTTFTms: (server / 2 * 10 + server * 4) / 14)))
    }

    @Test func markdownTableWithIntervalsAgainstFirstVariant() {
        // direct: three runs at scales 1, 1.1, 0.9; gemm: 0.5, 0.55, 0.45 (TTFT 174 ms × scale).
        let direct = VariantRuns(name: "direct", runs: [1, 1.1, 0.9].map { column("direct", scale: $0) })
        let gemm = VariantRuns(name: "gemm", runs: [0.5, 0.55, 0.45].map { column("gemm", scale: $0) })
        let md = CompareReport.markdown([direct, gemm], workload: "test", percentiles: [50, 99])
        #expect(md.contains("| Metric | direct | gemm | Δ vs direct |"))
        // mean 174, s = 17.4, t(0.975, 2) = 4.3027: half-width 43.22; gemm half of it. Welch: se = 11.23,
        // ν = 2.94, t = 3.22: Δ −87 ± 36.2 ms = −50% ± 20.8%.
        #expect(md.contains("| Mean TTFT (ms) | 174.00 ± 43.22 | 87.00 ± 21.61 | -50.0% [-70.8, -29.2] * |"))
        #expect(md.contains("| Successful requests | 5 | 5 | 0.0% [+0.0, +0.0] |"))
        #expect(!md.contains("P50 TTFT"))    // the median row already shows it
        #expect(md.contains("no TTFT breakdown"))
        // One run each: no intervals.
        let single = CompareReport.markdown([VariantRuns(name: "a", runs: [column("a", scale: 1)]),
                                             VariantRuns(name: "b", runs: [column("b", scale: 0.5)])], workload: "t", percentiles: [99])
        #expect(single.contains("| Mean TTFT (ms) | 174.00 | 87.00 | -50.0% |"))
    }

    @Test func ttftBreakdownRowsSumToClientTTFT() throws {
        // Server phases 10+5+20+30+40+15+22 = 142 ms of a 174 ms client TTFT: 32 ms client remainder.
        let phasesMs: [Double] = [10, 5, 20, 30, 40, 15, 22]
        let col = column("gemm", scale: 1, phases: breakdownPhases(phasesMs))
        let b = try #require(col.breakdown)
        #expect(abs(b.serverTTFTms - 142) < 1e-9)
        #expect(zip(b.rowsMs, phasesMs + [32]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(abs(b.rowsMs.reduce(0, +) - 174) < 1e-9)
        let md = CompareReport.markdown([VariantRuns(name: "gemm", runs: [col, col])], workload: "t", percentiles: [99])
        #expect(md.contains("| vision encoder | 40.00 ± 0.00 (23.0%) |"))
        #expect(md.contains("| client and network (client TTFT − server TTFT) | 32.00 ± 0.00 (18.4%) |"))
        #expect(md.contains("| **total = client mean TTFT** | 174.00 (100.0%) |"))
        // A server without the breakdown histograms gets no breakdown rather than a remainder that swallows them.
        let old = PhaseTimings(before: PrometheusText(""),
                               after: PrometheusText("vllm:time_to_first_token_seconds_sum 1\nvllm:time_to_first_token_seconds_count 4"))
        #expect(column("x", scale: 1, phases: old).breakdown == nil)
    }

    @Test func studentTAndWelchIntervals() {
        // Two-sided 95% quantiles from tables.
        for (df, t) in [(1.0, 12.7062), (2, 4.3027), (4, 2.7764), (10, 2.2281), (30, 2.0423), (1000, 1.9623)] {
            #expect(abs(RunStatistics.studentTQuantile(0.975, degreesOfFreedom: df) - t) < 1e-4)
        }
        #expect(abs(RunStatistics.studentTCDF(0, degreesOfFreedom: 3) - 0.5) < 1e-12)
        let (m, h) = RunStatistics.meanInterval([1, 2, 3, 4, 5])
        #expect(m == 3 && abs((h ?? 0) - 2.7764 * (2.5).squareRoot() / (5.0).squareRoot()) < 1e-3)
        #expect(RunStatistics.meanInterval([7]).halfWidth == nil)
        // Welch: baseline [1,2,3] (var 1), variant [2,4,6,8] (var 6.667): se² = 1/3 + 5/3 = 2, ν = 4/((1/9)/2 + (25/9)/3).
        let (d, hw) = RunStatistics.welch([2, 4, 6, 8], baseline: [1, 2, 3])
        #expect(d == 3)
        let nu = 4 / ((1.0 / 9) / 2 + (25.0 / 9) / 3)
        #expect(abs((hw ?? 0) - RunStatistics.studentTQuantile(0.975, degreesOfFreedom: nu) * (2.0).squareRoot()) < 1e-9)
        let tNu = RunStatistics.studentTQuantile(0.975, degreesOfFreedom: nu)   // ν ≈ 4.08: between t(5) and t(4)
        #expect(tNu > 2.5706 && tNu < 2.7764)
        #expect(!CompareReport.changeWithInterval([2, 4, 6, 8], baseline: [1, 2, 3]).hasSuffix("*"))
        #expect(CompareReport.changeWithInterval([10, 11, 12], baseline: [1, 2, 3]).hasSuffix(" *"))
    }

    @Test func interleavedScheduleAndProgress() {
        let order = VariantComparison.schedule(variants: 3, repeats: 3)
        #expect(order.map(\.variant) == [0, 1, 2, 1, 2, 0, 2, 0, 1])
        #expect(order.map(\.repeatIndex) == [1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(VariantComparison.progressLine(run: 3, of: 6, variant: "gemm", repeatIndex: 2, repeats: 3, secondsPerRun: 40)
            == "[compare] run 3/6: variant gemm, repeat 2/3; 3 runs remain (about 2 min 40 s left)")
        #expect(VariantComparison.progressLine(run: 6, of: 6, variant: "a", repeatIndex: 3, repeats: 3, secondsPerRun: 1)
            == "[compare] run 6/6: variant a, repeat 3/3; last run")
    }

    @Test func chartsHaveErrorBarsAndOneCDFPerVariant() {
        let cols = [("direct", 1.0), ("im2col", 0.8), ("a<b", 0.5)].map { name, sc in
            VariantRuns(name: name, runs: [sc, sc * 1.1].map { var c = column(name, scale: $0); c.ttfts = [0.1 * $0, 0.2 * $0]; return c })
        }
        let svg = CompareCharts.bars(cols)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 12)
        #expect(svg.components(separatedBy: "class=\"errorbar\"").count - 1 == 12)
        #expect(svg.contains("a&lt;b") && !svg.contains("a<b"))
        #expect(svg.contains("Mean TTFT (ms)") && svg.contains("Output throughput (tok/s)"))
        let cdf = CompareCharts.ttftCDF(cols)
        #expect(cdf.components(separatedBy: "class=\"cdf\"").count - 1 == 3)
        #expect(cdf.contains("direct (4 requests)"))
        #expect([799, 800, 3.2, 0.012, 0].map(CompareCharts.niceCeiling) == [800, 800, 4, 0.02, 1])
    }

    @Test func prometheusSumsLabelSets() {
        let p = PrometheusText("a_total{x=\"1\"} 2\na_total{x=\"2\"} 3\n# c\nb 1.5e2\n")
        #expect(p["a_total"] == 5)
        #expect(p["b"] == 150)
    }

    @Test func variantParsing() throws {
        #expect(try ServerVariant.convImpls("direct, im2col,gemm").map(\.arguments) ==
            [["--conv-impl", "direct"], ["--conv-impl", "im2col"], ["--conv-impl", "gemm"]])
        #expect(throws: FlagError("--conv-impls: 'gem' is not a Conv3d implementation; use a comma list of direct, conv, "
                                      + "im2col, gemm, auto, folded")) {
            try ServerVariant.convImpls("direct,gem")
        }
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
