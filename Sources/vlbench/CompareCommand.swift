import ArgumentParser
import BenchKit
import Foundation

/// `vlbench compare`: the same seeded workload against several vlserve variants, each run `--repeats`
/// times in interleaved order on a fresh server, with a Markdown report (means with 95% intervals) and SVGs.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run the same seeded benchmark against several vlserve variants, each --repeats times on a fresh server, and write a report with confidence intervals.",
        discussion: """
        Examples:
          vlbench compare --conv-impls direct,im2col,gemm --server-args="--model-dir models/qwen2.5-vl-7b" \\
            --backend openai-chat --dataset-name random-mm --num-prompts 200 --request-rate 16
          vlbench compare --variant "small=--max-num-seqs 8" --variant "big=--max-num-seqs 64" --repeats 5 ...

        With --repeats N every variant runs N times, interleaved (A B C, then B C A, ...), each on a fresh \
        server. The report gives every metric's mean with a 95% Student-t interval, the change against the \
        first variant with a 95% Welch interval (marked * when it excludes zero), and where TTFT goes. \
        A progress line per run goes to stderr.
        """)

    @Option(help: "Path of the vlserve binary (default: next to vlbench, else .build/release/vlserve).") var vlserve: String?
    @Option(name: .customLong("conv-impls"), help: "Comma list of Conv3d implementations (\(ServerVariant.convImplementationNames.joined(separator: ", "))); one variant each (--conv-impl X).") var convImpls: String?
    @Option(help: "A variant as NAME=FLAGS (e.g. \"batch8=--max-num-seqs 8\"); repeatable.") var variant: [String] = []
    @Option(name: .customLong("server-args"), help: "Flags passed to every vlserve variant (quoted; write --server-args=\"--flag value\" since the value starts with --).") var serverArgs: String = ""
    @Option(name: .customLong("output-dir"), help: "Where the JSON files, server logs, report.md and chart.svg go (default results/compare-<date>).") var outputDir: String?
    @Option(name: .customLong("health-timeout"), help: "Seconds to wait for GET /health.") var healthTimeout: Double = 600
    @Option(help: "Runs per variant, interleaved, each on a fresh server (intervals need at least 2).") var repeats: Int = 1

    @OptionGroup var args: ServeArguments

    /// The variants to run: one per `--conv-impls` name, then the `--variant`s.
    func variants() throws -> [ServerVariant] {
        do throws(FlagError) {
            return try (convImpls.map { list throws(FlagError) in try ServerVariant.convImpls(list) } ?? [])
                + variant.map(ServerVariant.parse)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Rejected values are reported with this command's usage, before anything runs.
    func validate() throws {
        let variants = try variants()
        guard !variants.isEmpty else { throw ValidationError("give --conv-impls or at least one --variant") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        let names = variants.map(\.name)
        guard Set(names).count == names.count else { throw ValidationError("variant names must differ: \(names)") }
    }

    func run() async throws {
        let variants = try variants()
        var o = try args.options()
        o.disableProgress = true
        ServerProcess.installSignalCleanup()
        let dir = outputDir ?? "results/compare-\(ResultFile.timestamp())"
        let cmp = VariantComparison(vlservePath: vlserve ?? Self.defaultVLServe(),
                                    commonServerArguments: ServerVariant.shellSplit(serverArgs), variants: variants,
                                    outputDir: dir, benchmark: o, repeats: repeats)
        var c = cmp
        c.healthTimeout = healthTimeout
        do {
            _ = try await c.run(progress: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
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
