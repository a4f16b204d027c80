import ArgumentParser
import BenchKit
import Foundation

/// `vlbench compare`: the same seeded workload against several vlserve variants, one after the
/// other, with a Markdown + SVG report.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Start vlserve once per variant, run the same benchmark against each, and write a side-by-side report.",
        discussion: """
        Examples:
          vlbench compare --conv-impls direct,im2col,gemm --server-args="--model-dir models/qwen2.5-vl-7b" \\
            --backend openai-chat --dataset-name random-mm --num-prompts 200 --request-rate 16
          vlbench compare --variant "small=--max-num-seqs 8" --variant "big=--max-num-seqs 64" ...
        """)

    @Option(help: "Path of the vlserve binary (default: next to vlbench, else .build/release/vlserve).") var vlserve: String?
    @Option(name: .customLong("conv-impls"), help: "Comma list of Conv3d implementations; one variant each (--conv-impl X).") var convImpls: String?
    @Option(help: "A variant as NAME=FLAGS (e.g. \"batch8=--max-num-seqs 8\"); repeatable.") var variant: [String] = []
    @Option(name: .customLong("server-args"), help: "Flags passed to every vlserve variant (quoted; write --server-args=\"--flag value\" since the value starts with --).") var serverArgs: String = ""
    @Option(name: .customLong("output-dir"), help: "Where the JSON files, server logs, report.md and chart.svg go (default results/compare-<date>).") var outputDir: String?
    @Option(name: .customLong("health-timeout"), help: "Seconds to wait for GET /health.") var healthTimeout: Double = 600

    @OptionGroup var args: ServeArguments

    func run() async throws {
        var variants = convImpls.map(ServerVariant.convImpls) ?? []
        variants += variant.map(ServerVariant.parse)
        guard !variants.isEmpty else { throw ValidationError("give --conv-impls or at least one --variant") }
        var o = try args.options()
        o.disableProgress = true
        ServerProcess.installSignalCleanup()
        let dir = outputDir ?? "results/compare-\(ResultFile.timestamp())"
        let cmp = VariantComparison(vlservePath: vlserve ?? Self.defaultVLServe(),
                                    commonServerArguments: ServerVariant.shellSplit(serverArgs), variants: variants,
                                    outputDir: dir, benchmark: o)
        var c = cmp
        c.healthTimeout = healthTimeout
        do {
            _ = try await c.run()
            printLine((try? String(contentsOfFile: dir + "/report.md", encoding: .utf8)) ?? "")
        } catch let e as BenchmarkError {
            FileHandle.standardError.write(Data("vlbench compare: \(e.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func defaultVLServe() -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = me.deletingLastPathComponent().appendingPathComponent("vlserve").path
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        return ".build/release/vlserve"
    }
}
