import ArgumentParser

@main
struct VLServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vlserve",
        abstract: "Qwen2.5-VL-style vision inference server with an OpenAI-compatible API.",
        subcommands: [ServeCommand.self, EncodeCommand.self, BenchConvCommand.self,
                      BenchPreprocessCommand.self, BenchAPICommand.self, BenchViTCommand.self, BenchTokenizerCommand.self],
        defaultSubcommand: ServeCommand.self)
}
