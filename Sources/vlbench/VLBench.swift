import ArgumentParser

@main
struct VLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vlbench",
        abstract: "Load generator compatible with `vllm bench serve`.",
        subcommands: [])
}
