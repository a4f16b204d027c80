import Foundation

/// `vlbench compare`: runs every variant `repeats` times in interleaved order (round r starts at variant
/// r mod n: A B C, then B C A, …), each run on a fresh vlserve on a free port (ready when `/health`
/// answers), all with the same seeded workload; then writes the report (`report.md`), `chart.svg`,
/// `ttft-cdf.svg` and one result JSON per run (`<variant>-run<k>.json`).
public struct VariantComparison: Sendable {
    public var vlservePath: String
    /// Flags for every variant (e.g. `--model-dir models/qwen2.5-vl-7b`).
    public var commonServerArguments: [String]
    public var variants: [ServerVariant]
    public var outputDir: String
    public var healthTimeout: Double = 600
    /// Runs per variant (≥ 1); intervals need ≥ 2.
    public var repeats: Int = 1
    public var benchmark: BenchmarkOptions

    public init(vlservePath: String, commonServerArguments: [String], variants: [ServerVariant], outputDir: String,
                benchmark: BenchmarkOptions, repeats: Int = 1) {
        self.vlservePath = vlservePath
        self.commonServerArguments = commonServerArguments
        self.variants = variants
        self.outputDir = outputDir
        self.benchmark = benchmark
        self.repeats = repeats
    }

    /// The run order: `repeats` rounds, round r (0-based) being the variants rotated left by r mod n.
    /// Each entry is (variant index, 1-based repeat).
    public static func schedule(variants n: Int, repeats: Int) -> [(variant: Int, repeatIndex: Int)] {
        guard n > 0 else { return [] }
        return (0..<max(repeats, 1)).flatMap { r in (0..<n).map { ((($0 + r) % n), r + 1) } }
    }

    /// "[compare] run 3/6: variant gemm, repeat 2/3; 3 runs remain (about 1 min 20 s)"
    public static func progressLine(run: Int, of total: Int, variant: String, repeatIndex: Int, repeats: Int,
                                    secondsPerRun: Double?) -> String {
        let remain = total - run
        var s = "[compare] run \(run)/\(total): variant \(variant), repeat \(repeatIndex)/\(repeats); "
        s += remain == 0 ? "last run" : remain == 1 ? "1 run remains" : "\(remain) runs remain"
        if let per = secondsPerRun, remain > 0 {
            let eta = Int((per * Double(remain + 1)).rounded())
            s += eta >= 60 ? " (about \(eta / 60) min \(eta % 60) s left)" : " (about \(eta) s left)"
        }
        return s
    }

    /// Runs the schedule and writes the report files into `outputDir`. `progress` receives one line per
    /// run (stderr in the CLI); `log` the benchmark's stdout lines.
    public func run(log: @escaping @Sendable (String) -> Void = { printLine($0) },
                    progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> [VariantResult] {
        guard !variants.isEmpty else { throw BenchmarkError("no variants to compare") }
        guard repeats >= 1 else { throw BenchmarkError("--repeats must be at least 1") }
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        var results: [VariantResult] = []
        var failures: [(String, String)] = []
        let order = Self.schedule(variants: variants.count, repeats: repeats)
        let started = Date()
        for (k, entry) in order.enumerated() {
            let v = variants[entry.variant]
            let perRun = k > 0 ? Date().timeIntervalSince(started) / Double(k) : nil
            progress(Self.progressLine(run: k + 1, of: order.count, variant: v.name, repeatIndex: entry.repeatIndex,
                                       repeats: repeats, secondsPerRun: perRun))
            let base = String(v.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
                + "-run\(entry.repeatIndex)"
            let args = ["serve", "--host", "127.0.0.1", "--port", "0"] + commonServerArguments + v.arguments
            log("== Variant \(v.name), run \(entry.repeatIndex) of \(repeats): \(vlservePath) \(args.joined(separator: " "))")
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
                o.metadata.append(("repeat", String(entry.repeatIndex)))
                let r = try await BenchmarkRunner.run(o, log: log)
                var phases: PhaseTimings?
                if let b = r.serverMetricsBefore, let a = r.serverMetricsAfter { phases = PhaseTimings(before: b, after: a) }
                results.append(VariantResult(variant: v, repeatIndex: entry.repeatIndex, run: r, phases: phases,
                                             resultPath: r.resultPath ?? ""))
            } catch {
                // One broken run (crash, health timeout) does not lose the others' results.
                log("Variant \(v.name) run \(entry.repeatIndex) failed: \(error)")
                failures.append(("\(v.name) run \(entry.repeatIndex)", "\(error)"))
            }
            server.stop()
        }
        guard !results.isEmpty else {
            throw BenchmarkError("every run failed: " + failures.map { "\($0.0): \($0.1)" }.joined(separator: "; "))
        }
        let grouped = Self.group(results, variants: variants)
        let percentiles = results.first?.run.metrics.summaries[.ttft]?.percentiles.map(\.0) ?? [99]
        var md = CompareReport.markdown(grouped, workload: CompareReport.describe(benchmark), percentiles: percentiles)
        if !failures.isEmpty {
            md += "\n## Failed runs\n\n" + failures.map { "- `\($0.0)`: \($0.1)\n" }.joined()
        }
        func write(_ text: String, _ name: String) throws {
            try text.write(toFile: (outputDir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write(md, "report.md")
        try write(CompareCharts.bars(grouped), "chart.svg")
        try write(CompareCharts.ttftCDF(grouped), "ttft-cdf.svg")
        log("Wrote \(outputDir)/report.md, chart.svg and ttft-cdf.svg")
        return results
    }

    /// Runs grouped per variant in the variants' order (variants without a successful run are left out).
    public static func group(_ results: [VariantResult], variants: [ServerVariant]) -> [VariantRuns] {
        variants.compactMap { v in
            let runs = results.filter { $0.variant == v }.sorted { $0.repeatIndex < $1.repeatIndex }.map(\.column)
            return runs.isEmpty ? nil : VariantRuns(name: v.name, runs: runs)
        }
    }
}
