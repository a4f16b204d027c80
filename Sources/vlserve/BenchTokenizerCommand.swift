import ArgumentParser
import VLServeBenchmarks

/// `vlserve bench-tokenizer`: CPU time to tokenise a 4k-token prompt with the stub and, with `--tokenizer`,
/// a Hugging Face tokenizer.json (per call and per 1000 tokens).
struct BenchTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-tokenizer",
        abstract: "Benchmark tokenisation of a 4k-token prompt (stub and, with --tokenizer, a tokenizer.json).")

    @Option(help: "Directory (or file) with a Hugging Face tokenizer.json, e.g. Tests/TextCoreTests/Fixtures/tokenizer.")
    var tokenizer: String?
    @Option(name: .customLong("prompt-tokens"), help: "Tokens of the benchmark prompt.")
    var promptTokens = 4096
    @Option(help: "Runs per case (the median is reported).")
    var repeats = 200

    func run() throws {
        let tokenizers = try TokenizerBenchmark.tokenizers(path: tokenizer)
        for row in TokenizerBenchmark.run(tokenizers: tokenizers, promptTokens: max(1, promptTokens),
                                          repeats: max(1, repeats)) {
            print(row)
        }
    }
}
