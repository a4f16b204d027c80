import ArgumentParser
import BenchKit
import Foundation

/// `vlbench serve` (the default subcommand): one `vllm bench serve`-compatible run.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Benchmark an OpenAI-compatible server exactly like `vllm bench serve` (its flags work unchanged).")

    @OptionGroup var args: ServeArguments

    func run() async throws {
        let o = try args.options()
        do {
            let r = try await BenchmarkRunner.run(o)
            if let p = r.resultPath { printLine("Result written to \(p)") }
            if args.reportSendLag {
                let lags = r.sendLags.map { $0 * 1000 }
                printLine(String(format: "vlbench: send lag vs schedule p50 %.3f ms, p99 %.3f ms, max %.3f ms; peak streams in flight %d",
                             Statistics.percentile(lags, 50), Statistics.percentile(lags, 99), lags.max() ?? 0, r.peakInFlight))
                let per1k = r.chunksReceived > 0 ? r.clientCPUSeconds / Double(r.chunksReceived) * 1000 * 1000 : 0
                printLine(String(format: "vlbench: client CPU %.3f s for %d chunks (%.2f ms per 1000 chunks); peak RSS %ld MB",
                             r.clientCPUSeconds, r.chunksReceived, per1k, processPeakResidentBytes() >> 20))
            }
        } catch let e as BenchmarkError {
            FileHandle.standardError.write(Data("vlbench: \(e.description)\n".utf8))
            throw ExitCode(1)
        } catch let e as DatasetError {
            FileHandle.standardError.write(Data("vlbench: \(e.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
