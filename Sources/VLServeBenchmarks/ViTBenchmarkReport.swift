import Foundation
import VisionCore

/// The result of `ViTBenchmark.run`; `--json` encodes every field.
public struct ViTBenchmarkReport: BenchmarkReport, Codable, Equatable {
    public var cpu: String
    public var cpuFeatures: [String]
    public var dtype: String
    public var backend: String
    /// What runs per operator (`Linear.kernelName`, the vector ISA), and `blas_core` (`BLAS.coreName`).
    public var kernels: [String: String]
    public var imageSize: String
    public var grid: [Int]
    public var patches: Int
    public var tokens: Int
    public var threads: Int
    public var repeats: Int
    public var referenceRepeats: Int
    /// The selected options (`VisionTowerOptions.description`).
    public var options: String
    public var rows: [ViTBenchmarkRow]

    public var table: String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        func f(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "-" }
        var lines = [
            "CPU: \(cpu) [\(cpuFeatures.joined(separator: " "))], \(threads) thread(s)",
            "dtype \(dtype), backend \(backend); kernels: "
                + kernels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            "image \(imageSize) -> grid \(grid.map(String.init).joined(separator: "x")) (\(patches) patches, "
                + "\(tokens) tokens); selected: \(options); median of \(repeats) run(s), reference \(referenceRepeats)",
            pad("operator", 12, left: true) + pad("impl", 24, left: true) + pad("ms", 10) + pad("GFLOP/s", 10)
                + pad("share", 8) + "  " + pad("reference", 24, left: true) + pad("ref ms", 10) + pad("speedup", 9),
        ]
        for r in rows {
            lines.append(pad(r.operation, 12, left: true) + pad(r.implementation, 24, left: true)
                + pad(f(r.ms, "%.1f"), 10) + pad(r.gflops > 0 ? f(r.gflops, "%.1f") : "-", 10)
                + pad(f(r.share * 100, "%.1f%%"), 8) + "  " + pad(r.referenceImplementation ?? "-", 24, left: true)
                + pad(f(r.referenceMs, "%.1f"), 10) + pad(f(r.speedup, "%.2fx"), 9))
        }
        return lines.joined(separator: "\n")
    }
}
