import Foundation

/// One server configuration to benchmark: a name and the extra `vlserve serve` flags.
public struct ServerVariant: Sendable, Equatable {
    public var name: String
    public var arguments: [String]
    public init(name: String, arguments: [String]) { self.name = name; self.arguments = arguments }

    /// `--conv-impls direct,im2col,gemm` → one variant per implementation (`--conv-impl X`).
    public static func convImpls(_ list: String) -> [ServerVariant] {
        list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { ServerVariant(name: $0, arguments: ["--conv-impl", $0]) }
    }

    /// `NAME=--flag value --other` (or just flags, named after them). Splits on whitespace,
    /// honouring single and double quotes.
    public static func parse(_ spec: String) -> ServerVariant {
        var name: String?
        var rest = spec
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains(" "), !spec.hasPrefix("-") {
            name = String(spec[..<eq])
            rest = String(spec[spec.index(after: eq)...])
        }
        let args = shellSplit(rest)
        return ServerVariant(name: name ?? (args.isEmpty ? "default" : args.joined(separator: " ")), arguments: args)
    }

    /// Whitespace split with '…' and "…" quoting.
    public static func shellSplit(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quote: Character?
        var has = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; has = true
            } else if c == " " || c == "\t" || c == "\n" {
                if has || !cur.isEmpty { out.append(cur); cur = ""; has = false }
            } else {
                cur.append(c)
            }
        }
        if has || !cur.isEmpty { out.append(cur) }
        return out
    }
}

/// The outcome of one variant.
public struct VariantResult: Sendable {
    public var variant: ServerVariant
    public var run: BenchmarkRunResult
    public var phases: PhaseTimings?
    public var resultPath: String
}

/// `vlbench compare`: per variant, start vlserve on a free port, wait for `/health`, run the same
/// seeded workload, stop it; then write the Markdown report and SVG chart.
public struct VariantComparison: Sendable {
    public var vlservePath: String
    /// Flags for every variant (e.g. `--model-dir models/qwen2.5-vl-7b`).
    public var commonServerArguments: [String]
    public var variants: [ServerVariant]
    public var outputDir: String
    public var healthTimeout: Double = 600
    public var benchmark: BenchmarkOptions

    public init(vlservePath: String, commonServerArguments: [String], variants: [ServerVariant], outputDir: String,
                benchmark: BenchmarkOptions) {
        self.vlservePath = vlservePath
        self.commonServerArguments = commonServerArguments
        self.variants = variants
        self.outputDir = outputDir
        self.benchmark = benchmark
    }

    /// Runs every variant in order and writes `report.md`, `chart.svg` and `<variant>.json` into `outputDir`.
    public func run(log: @escaping @Sendable (String) -> Void = { printLine($0) }) async throws -> [VariantResult] {
        guard !variants.isEmpty else { throw BenchmarkError("no variants to compare") }
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        var results: [VariantResult] = []
        var failures: [(String, String)] = []
        for v in variants {
            let safe = v.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
            let base = String(safe)
            let args = ["serve", "--host", "127.0.0.1", "--port", "0"] + commonServerArguments + v.arguments
            log("== Variant \(v.name): \(vlservePath) \(args.joined(separator: " "))")
            // A missing binary fails every variant alike, so it ends the comparison.
            let server = try ServerProcess(executable: vlservePath, arguments: args, port: 0,
                                           logPath: (outputDir as NSString).appendingPathComponent("\(base).server.log"))
            do {
                try await server.waitUntilHealthy(timeout: healthTimeout)
                var o = benchmark
                o.endpoint = ServerEndpoint(host: "127.0.0.1", port: server.port)
                o.saveResult = true
                o.resultDir = outputDir
                o.resultFilename = "\(base).json"
                o.label = o.label ?? v.name
                o.metadata.append(("variant", v.name))
                let r = try await BenchmarkRunner.run(o, log: log)
                var phases: PhaseTimings?
                if let b = r.serverMetricsBefore, let a = r.serverMetricsAfter { phases = PhaseTimings(before: b, after: a) }
                results.append(VariantResult(variant: v, run: r, phases: phases, resultPath: r.resultPath ?? ""))
            } catch {
                // One broken variant (crash, health timeout) does not lose the others' results.
                log("Variant \(v.name) failed: \(error)")
                failures.append((v.name, "\(error)"))
            }
            server.stop()
        }
        guard !results.isEmpty else {
            throw BenchmarkError("every variant failed: " + failures.map { "\($0.0): \($0.1)" }.joined(separator: "; "))
        }
        var md = CompareReport.markdown(results, workload: CompareReport.describe(benchmark))
        if !failures.isEmpty {
            md += "\n## Failed variants\n\n" + failures.map { "- `\($0.0)`: \($0.1)\n" }.joined()
        }
        try md.write(toFile: (outputDir as NSString).appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        let svg = CompareReport.svg(results)
        try svg.write(toFile: (outputDir as NSString).appendingPathComponent("chart.svg"), atomically: true, encoding: .utf8)
        log("Wrote \(outputDir)/report.md and \(outputDir)/chart.svg")
        return results
    }
}
