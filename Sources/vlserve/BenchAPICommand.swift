import ArgumentParser
import VLServeBenchmarks

/// `vlserve bench-api`: micro-benchmark of the OpenAI wire-format code (request decoding with and without a
/// 100 KB base64 image, SSE chunk encoding), in operations per CPU-second of one core.
struct BenchAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-api",
        abstract: "Benchmark request decoding and SSE chunk encoding (per core).")

    @Option(help: "Work multiplier (1 = about a second per row).")
    var scale = 1

    func run() throws {
        for result in APIMicroBenchmark.run(scale: max(1, scale)) {
            print(result)
        }
    }
}
