import Foundation

/// The result of `ConvBenchmark.run`: one `ConvBenchmarkRow` per implementation × backend × dtype, plus the
/// raw library calls.
///
/// `--json` (`jsonLine()`): `{"blas_core": ..., "cpu": ..., "cpu_features": [...], "onednn": "2.6.3",
/// "patches": N, "results": [row, ...], "threads": T}`; `repeats` and `flops` are for the table header.
public struct ConvBenchmarkReport: BenchmarkReport, Equatable {
    /// Rows of `pixel_values` (patches) per run.
    public var patches: Int
    /// Threads each GEMM used (`VisionThreads.count`).
    public var threads: Int
    /// Timed rounds (the median is reported).
    public var repeats: Int
    /// Floating-point operations per run (2·M·N·K).
    public var flops: Double
    public var results: [ConvBenchmarkRow]
    /// `/proc/cpuinfo`'s model name.
    public var cpu: String
    /// The CPU features the kernels choose between (`avx2 fma avx512f ... avx512_bf16`).
    public var cpuFeatures: [String]
    /// `openblas_get_corename()`: the OpenBLAS kernel family that ran.
    public var blasCore: String
    /// The oneDNN version loaded.
    public var onednn: String

    public init(patches: Int, threads: Int, repeats: Int, flops: Double, results: [ConvBenchmarkRow],
                cpu: String = "", cpuFeatures: [String] = [], blasCore: String = "", onednn: String = "") {
        self.patches = patches
        self.threads = threads
        self.repeats = repeats
        self.flops = flops
        self.results = results
        self.cpu = cpu
        self.cpuFeatures = cpuFeatures
        self.blasCore = blasCore
        self.onednn = onednn
    }

    enum CodingKeys: String, CodingKey {
        case patches, threads, results, cpu, onednn
        case cpuFeatures = "cpu_features", blasCore = "blas_core"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(patches, forKey: .patches)
        try c.encode(threads, forKey: .threads)
        try c.encode(results, forKey: .results)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(cpuFeatures, forKey: .cpuFeatures)
        try c.encode(blasCore, forKey: .blasCore)
        try c.encode(onednn, forKey: .onednn)
    }

    /// A header naming the machine and the kernels, then one line per row: impl, backend, dtype, median ms,
    /// GFLOP/s, ratio to sgemm, ratio to the raw call of the same backend and dtype, max |diff| vs direct, kernel.
    public var table: String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        func ratio(_ value: Double) -> String { value.isFinite ? String(format: "%.3fx", value) : "-" }
        var lines = ["CPU: \(cpu) [\(cpuFeatures.joined(separator: " "))]; OpenBLAS core \(blasCore); oneDNN \(onednn)"]
        lines.append(pad("impl", 14, left: true) + pad("backend", 9, left: true) + pad("dtype", 9, left: true)
            + pad("median ms", 10) + pad("GFLOP/s", 9) + pad("vs sgemm", 10) + pad("vs raw", 9)
            + pad("max|diff|", 11) + "  kernel")
        for r in results {
            lines.append(pad(r.impl, 14, left: true) + pad(r.backend, 9, left: true) + pad(r.dtype, 9, left: true)
                + pad(String(format: "%.2f", r.medianMs), 10) + pad(String(format: "%.1f", r.gflops), 9)
                + pad(ratio(r.ratioToSgemm), 10) + pad(ratio(r.ratioToRaw), 9)
                + pad(String(format: "%.2e", r.maxAbsDiff), 11) + "  " + r.kernel)
        }
        return lines.joined(separator: "\n")
    }
}
