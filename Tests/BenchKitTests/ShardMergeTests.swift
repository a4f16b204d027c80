import Foundation
import OpenAIAPI
import Testing
@testable import BenchKit

/// `vlbench merge`: shard files of deterministic outputs merge into exactly the statistics, table and JSON of
/// one result over all of them; files that cannot be merged are refused.
@Suite struct ShardMergeTests {
    /// 41 requests on a monotonic clock from `runStart` (times are multiples of 2⁻⁹ s, so every sum is exact):
    /// failures, a success without usage (its output tokens are counted from the text), varied ITL lists,
    /// queue times, spread over several seconds so the per-second peaks have work to do.
    static let runStart = 1000.0
    static let outputs: [RequestOutput] = (0..<41).map { i in
        let start = runStart + Double(i) * 0.125 + Double((i * 7) % 5) / 64
        if i % 11 == 4 {
            return RequestOutput(success: false, ttft: 0, itl: [], latency: 0, outputTokens: 0, promptLen: 100 + i,
                                 startTime: start, queueTime: Double(i % 3) / 128, error: "boom \(i)")
        }
        let ttft = Double(5 + (i * 13) % 29) / 256
        let itl = (0..<((i * 5) % 7)).map { k in Double(1 + (i + k) % 9) / 512 }
        return RequestOutput(success: true, ttft: ttft, itl: itl, latency: ttft + itl.reduce(0, +),
                             outputTokens: i == 9 ? 0 : itl.count + 1, promptLen: 100 + i, startTime: start,
                             queueTime: Double(i % 3) / 128, generatedText: i == 9 ? "a b c d e" : "x")
    }
    static let countWords: @Sendable (String) -> Int = { $0.split(separator: " ").count }
    static let date = "20261202-101500"
    static let sharedStart = 1_764_669_000.0

    static var options: BenchmarkOptions {
        var o = BenchmarkOptions()
        o.backend = .openaiChat
        o.endpointPath = "/v1/chat/completions"
        o.label = "lbl"
        o.metadata = [("site", "lab"), ("run", "7")]
        o.numPrompts = outputs.count
        o.requestRate = 8
        o.burstiness = 0.5
        o.seed = 42
        o.percentileMetrics = PercentileMetric.allCases
        o.metricPercentiles = [50, 90, 99, 99.9]
        o.goodput = ["ttft": 100, "e2el": 200]
        return o
    }

    /// The last completion after the run start (s), as the load driver measures the duration.
    static func duration(_ outs: [RequestOutput], start: Double) -> Double {
        (outs.map { $0.startTime + $0.latency }.max() ?? start) - start + 1.0 / 16
    }

    /// Shard `s` of `n` as its own process would have written it: its own monotonic clock, the shared wall-clock
    /// start (+ `late` s), its share's metrics; written to and read back from a file in `dir`.
    static func shardFile(_ s: Int, of n: Int, dir: String, late: Double = 0, seed: UInt64 = 42, detailed: Bool = true,
                          shardLabel: Shard? = nil) throws -> ShardResult {
        let shard = Shard(index: s, count: n)
        let clock = [5000.0, 20.5, 77.25][s % 3]                       // each process's monotonic clock differs
        let indices = shard.indices(total: outputs.count)
        let outs = indices.map { i in
            var o = outputs[i]
            o.startTime = clock + (o.startTime - runStart)
            return o
        }
        var o = options
        o.shard = shard
        o.seed = seed
        let d = duration(outs, start: clock)
        let m = BenchmarkMetrics(outputs: outs, duration: d, percentiles: o.metricPercentiles, goodput: o.goodput,
                                 compat: o.compat, countTokens: countWords)
        let detail = RunDetail(shard: shardLabel ?? shard, seed: seed, datasetName: "random", datasetFingerprint: "00112233aabbccdd",
                               compat: o.compat, goodput: o.goodput, start: RunStart(unix: sharedStart + late, monotonic: clock),
                               requestIndices: indices)
        let json = ResultFile.build(options: o, modelID: "m/qwen", tokenizerID: "m/qwen", date: date, outputs: outs, metrics: m,
                                    duration: d, detailed: detailed, runDetail: detail)
        let path = try ResultFile.write(json, dir: dir, filename: "shard\(s + 1)-\(UUID().uuidString).json", append: false)
        return try ShardResult.load(path: path)
    }

    static func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("vlbench-merge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test(arguments: [1, 2, 3])
    func mergedShardsEqualOneResultOverAllOutputs(n: Int) throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Self.options
        // Reference: one result over all outputs. Its duration is the latest shard's (all shards start together).
        let shardDurations = (0..<n).map { s in
            Self.duration(Shard(index: s, count: n).indices(total: Self.outputs.count).map { Self.outputs[$0] }, start: Self.runStart)
        }
        let d = shardDurations.max()!
        #expect(d == Self.duration(Self.outputs, start: Self.runStart))
        let reference = BenchmarkMetrics(outputs: Self.outputs, duration: d, percentiles: o.metricPercentiles, goodput: o.goodput,
                                         compat: o.compat, countTokens: Self.countWords)

        let shards = try (0..<n).reversed().map { try Self.shardFile($0, of: n, dir: dir) }   // any order
        let merged = try MergedRun(shards: shards)

        #expect(merged.duration == d)
        #expect(merged.startSpread == 0)
        #expect(merged.metrics == reference)                                 // every count, throughput, peak, summary
        #expect(merged.metrics.actualOutputLens[9] == 5)                     // counted from the text by the shard, kept
        #expect(merged.outputs.map(\.error) == Self.outputs.map(\.error))
        #expect(merged.options.percentileMetrics == PercentileMetric.allCases)   // read from the shard files' keys
        #expect(merged.options.metricPercentiles == [50, 90, 99, 99.9])
        #expect(merged.tableLines() == ResultTable.failureLines(Self.outputs) + ResultTable.lines(metrics: reference, duration: d, options: o))
        let expected = ResultFile.build(options: o, modelID: "m/qwen", tokenizerID: "m/qwen", date: Self.date, outputs: Self.outputs,
                                        metrics: reference, duration: d, detailed: false)
        #expect(PythonJSON.dumpsString(merged.result(detailed: false)) == PythonJSON.dumpsString(expected))

        // A merged file with --save-detailed is a 1/1 run that merges to itself.
        let again = try MergedRun(shards: [ShardResult(json: merged.result(detailed: true), path: "merged.json")])
        #expect(again.metrics == reference && again.duration == d)
        #expect(again.detail.shard == .whole && again.detail.requestIndices == Array(0..<Self.outputs.count))
    }

    @Test func requestedPercentilesAreRecomputedFromTheSamples() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let merged = try MergedRun(shards: [Self.shardFile(0, of: 2, dir: dir), Self.shardFile(1, of: 2, dir: dir)],
                                   percentileMetrics: [.itl], metricPercentiles: [10, 75])
        let itls = Self.outputs.filter(\.success).flatMap(\.itl)
        #expect(merged.metrics.summaries[.itl] == MetricSummary(seconds: itls, percentiles: [10, 75]))
        let result = merged.result(detailed: false)
        #expect(result["p75_itl_ms"] != nil && result["p99_itl_ms"] == nil && result["mean_ttft_ms"] == nil)
    }

    @Test func aLateShardStretchesTheDurationOnTheSharedClock() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Self.shardFile(0, of: 2, dir: dir), b = try Self.shardFile(1, of: 2, dir: dir, late: 0.25)
        let merged = try MergedRun(shards: [a, b])
        #expect(merged.startSpread == 0.25)
        #expect(merged.duration == max(a.duration, 0.25 + b.duration))
        #expect(merged.outputs[1].startTime == b.outputs[0].startTime + 0.25)
        #expect(merged.outputs[0].startTime == a.outputs[0].startTime)
    }

    func expectRefused(_ prefix: String, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected: \(prefix)", sourceLocation: sourceLocation)
        } catch let e as BenchmarkError {
            #expect(e.description.contains(prefix), "\(e.description)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func unmergeableFilesAreRefused() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = try Self.shardFile(0, of: 2, dir: dir), two = try Self.shardFile(1, of: 2, dir: dir)
        expectRefused("has no per-request results (ttfts, itls, ...): rerun that shard with --save-result --save-detailed") {
            _ = try Self.shardFile(0, of: 2, dir: dir, detailed: false)
        }
        // vllm bench serve --save-detailed has the arrays but no shared clock or dataset indices.
        let vllm = JSONValue.object((one.json.objectValue ?? []).filter { !$0.key.hasPrefix("vlbench_") })
        expectRefused("has per-request results but no vlbench_ shard fields") { _ = try ShardResult(json: vllm, path: "v.json") }
        expectRefused("are both shard 1/2; give each shard's file once") {
            _ = try MergedRun(shards: [one, two, Self.shardFile(0, of: 2, dir: dir)])
        }
        expectRefused("shard 2/2 is missing: give all 2 shard files of the run") { _ = try MergedRun(shards: [one]) }
        expectRefused("different --seed (42 vs 7); merge the shards of one run") {
            _ = try MergedRun(shards: [one, Self.shardFile(1, of: 2, dir: dir, seed: 7)])
        }
        expectRefused("come from runs split 2 and 3 ways") { _ = try MergedRun(shards: [one, Self.shardFile(1, of: 3, dir: dir)]) }
        let otherModel = try ShardResult(json: two.json.setting("model_id", .string("other")), path: "o.json")
        expectRefused("different model (\"m/qwen\" vs \"other\")") { _ = try MergedRun(shards: [one, otherModel]) }
        let otherData = try ShardResult(json: two.json.setting("vlbench_dataset_fingerprint", .string("ffff")), path: "d.json")
        expectRefused("different dataset (a dataset flag or the tokenizer differs)") { _ = try MergedRun(shards: [one, otherData]) }
        // Shard 2/2's requests labelled as shard 1/2's share.
        expectRefused("its requests are not shard 1/2's share") {
            _ = try MergedRun(shards: [Self.shardFile(1, of: 2, dir: dir, shardLabel: Shard(index: 0, count: 2)), two])
        }
        let appended = dir + "/appended.json"
        try ResultFile.write(one.json, dir: nil, filename: appended, append: true)
        try ResultFile.write(two.json, dir: nil, filename: appended, append: true)
        expectRefused("holds 2 results (--append-result?)") { _ = try ShardResult.load(path: appended) }
    }

    /// Two shards of one seeded run against one server, run side by side in this process, merge into the
    /// whole run.
    @Test func twoLiveShardsMergeIntoTheWholeRun() async throws {
        let server = try MockSSEServer(tokens: 3, gapMicros: 500)
        defer { server.stop() }
        func shard(_ s: Int) -> BenchmarkOptions {
            var o = chatOptions(port: server.port, prompts: 21)
            o.shard = Shard(index: s, count: 2)
            o.saveDetailed = true
            o.percentileMetrics = [.ttft, .itl, .e2el]
            return o
        }
        async let first = BenchmarkRunner.run(shard(0), log: { _ in })
        async let second = BenchmarkRunner.run(shard(1), log: { _ in })
        let runs = try await [first, second]
        #expect(runs.map(\.outputs.count) == [11, 10])
        #expect(runs[0].runDetail?.datasetFingerprint == runs[1].runDetail?.datasetFingerprint)
        let merged = try MergedRun(shards: runs.enumerated().map { try ShardResult(json: $1.result, path: "shard\($0 + 1)") })
        #expect(merged.metrics.completed == 21 && merged.metrics.failed == 0)
        #expect(merged.metrics.totalOutput == 21 * 3)
        #expect(merged.result(detailed: false)["completed"] == .int(21))
        #expect(merged.outputs.allSatisfy { $0.success && $0.itl.count == 2 })   // 3 token chunks; the role chunk is not one
    }
}
