import ArgumentParser
import BenchKit
import Foundation

/// `vlbench merge RESULT.json…`: the shard files of one `--shard i/N` run as one result (table and JSON).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the result files of a run split with --shard i/N into one result: the same table and JSON as an unsharded run.",
        discussion: """
        Each shard must have been run with --save-result --save-detailed (and, across machines, one shared \
        --start-at). Every statistic is recomputed from the shards' per-request samples (percentiles are never \
        averaged); the duration runs from the earliest shard start to the last completion on the shared wall \
        clock. Files of different runs (model, dataset, seed, rate, shard count), a shard given twice and a \
        missing shard are refused. max_concurrency in the merged result is the sum over the shards.

        Example:
          vlbench merge shard1.json shard2.json --result-filename merged.json
        """)

    @Argument(help: "The shards' result files (--save-result --save-detailed), in any order.") var files: [String]
    @Option(name: .customLong("result-filename"), help: "Merged result file (default: vLLM's name for the run: {label}-{rate}qps[-concurrency{C}]-{model}-{date}.json).") var resultFilename: String?
    @Option(name: .customLong("result-dir"), help: "Directory for the merged result file (created if needed).") var resultDir: String?
    @Option(name: .customLong("percentile-metrics"), help: "Comma list of ttft,tpot,itl,e2el,client_queue_time,e2el_including_client_queue (default: those in the shard files).") var percentileMetrics: String?
    @Option(name: .customLong("metric-percentiles"), help: "Comma list of percentiles, e.g. 50,90,99 (default: those in the shard files).") var metricPercentiles: String?
    @Flag(name: .customLong("save-detailed"), help: "Keep the merged per-request arrays in the merged file (then it can be merged again).") var saveDetailed = false

    func run() throws {
        do throws(BenchmarkError) {
            let metrics: [PercentileMetric]?
            let percentiles: [Double]?
            do throws(FlagError) {
                metrics = try percentileMetrics.map { s throws(FlagError) in try BenchmarkOptions.percentileMetrics(s) }
                percentiles = try metricPercentiles.map { s throws(FlagError) in try BenchmarkOptions.metricPercentiles(s) }
            } catch {
                throw BenchmarkError(error.description)
            }
            let shards = try files.map { f throws(BenchmarkError) in try ShardResult.load(path: f) }
            let merged = try MergedRun(shards: shards, percentileMetrics: metrics, metricPercentiles: percentiles)
            printLine("Merged \(merged.shardCount) shards: \(merged.outputs.count) requests; shard starts \(String(format: "%.3f", merged.startSpread * 1000)) ms apart.")
            if merged.startSpread > 1 {
                printLine("WARNING: the shards started more than 1 s apart; give them one --start-at so they follow one schedule.")
            }
            for line in merged.tableLines() { printLine(line) }
            let name = resultFilename ?? ResultFile.defaultFilename(options: merged.options, modelID: merged.modelID, date: merged.date)
            do {
                let path = try ResultFile.write(merged.result(detailed: saveDetailed), dir: resultDir, filename: name, append: false)
                printLine("Result written to \(path)")
            } catch {
                throw BenchmarkError("\(error)")
            }
        } catch {
            FileHandle.standardError.write(Data("vlbench merge: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
