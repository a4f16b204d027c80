import Foundation

/// The result of `ConvBenchmark.run`: one `ConvBenchmarkRow` per implementation plus raw sgemm.
///
/// `--json` (`jsonLine()`): `{"patches": N, "results": [row, ...], "threads": T}`; `repeats` and `flops`
/// are for the table header and not encoded.
public struct ConvBenchmarkReport: BenchmarkReport, Equatable {
    /// Rows of `pixel_values` (patches) per run.
    public var patches: Int
    /// OpenBLAS threads in use.
    public var threads: Int
    /// Timed rounds (the median is reported).
    public var repeats: Int
    /// Floating-point operations per run (2·M·N·K).
    public var flops: Double
    public var results: [ConvBenchmarkRow]

    public init(patches: Int, threads: Int, repeats: Int, flops: Double, results: [ConvBenchmarkRow]) {
        self.patches = patches
        self.threads = threads
        self.repeats = repeats
        self.flops = flops
        self.results = results
    }

    enum CodingKeys: String, CodingKey { case patches, threads, results }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(patches, forKey: .patches)
        try c.encode(threads, forKey: .threads)
        try c.encode(results, forKey: .results)
    }

    /// A human-readable table: impl, median ms, GFLOP/s, ratio to sgemm, max |diff| vs direct.
    public var table: String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        var lines = [pad("impl", 8, left: true) + pad("median ms", 11) + pad("GFLOP/s", 10) + pad("vs sgemm", 10)
            + pad("max |diff| vs direct", 22)]
        for r in results {
            lines.append(pad(r.impl, 8, left: true) + pad(String(format: "%.2f", r.medianMs), 11)
                + pad(String(format: "%.1f", r.gflops), 10) + pad(String(format: "%.3fx", r.ratioToSgemm), 10)
                + pad(String(format: "%.3e", r.maxAbsDiff), 22))
        }
        return lines.joined(separator: "\n")
    }
}
