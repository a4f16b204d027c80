import ArgumentParser

/// `vlbench`: `vllm bench serve`-compatible load generator. `vlbench [serve] …` runs one benchmark
/// (the default subcommand, so vLLM's flags work directly); `vlbench compare …` benchmarks several
/// vlserve variants; `vlbench merge …` merges the shards of a run split with `--shard i/N`.
@main
struct VLBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vlbench",
        abstract: "Load generator compatible with `vllm bench serve`, and side-by-side comparison of vlserve variants.",
        subcommands: [ServeCommand.self, CompareCommand.self, SummarizeCommand.self, MergeCommand.self],
        defaultSubcommand: ServeCommand.self)
}
