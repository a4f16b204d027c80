import Foundation
import Testing
import VisionCore
import VLServeBenchmarks

/// `vlserve bench-vit` on a tiny tower: every operator gets a row with its reference, and the JSON keeps them.
struct ViTBenchmarkTests {
    static var tinyConfig: VisionConfig {
        var c = VisionConfig()
        c.depth = 2
        c.hiddenSize = 32
        c.numHeads = 2
        c.intermediateSize = 24
        c.outHiddenSize = 8
        c.fullattBlockIndexes = [1]
        return c
    }

    @Test func tinyTowerReportsEveryOperatorAgainstItsReference() throws {
        var progress: [String] = []
        let report = try ViTBenchmark.run(config: Self.tinyConfig, grid: GridTHW(t: 1, h: 4, w: 6), imageSize: "84x56",
                                          options: VisionTowerOptions(), repeats: 2, referenceRepeats: 1,
                                          progress: { progress.append($0) })
        #expect(report.rows.map(\.operation) == TowerOperator.allCases.map(\.rawValue) + ["tower"])
        #expect(report.patches == 24 && report.tokens == 6)
        let attention = try #require(report.rows.first { $0.operation == "attention" })
        #expect(attention.implementation == "flash" && attention.referenceImplementation == "reference")
        #expect(attention.ms > 0 && attention.gflops > 0 && (attention.speedup ?? 0) > 0)
        let tower = try #require(report.rows.last)
        #expect(tower.share == 1 && tower.referenceImplementation == "reference")
        #expect(abs(report.rows.dropLast().reduce(0) { $0 + $1.share } - 1) < 0.5)
        #expect(report.kernels["vector"] != nil && report.kernels["blas_core"] != nil && report.kernels["qkv"] != nil)
        #expect(progress.contains { $0.hasPrefix("selected run 2/2") } && progress.contains { $0.hasPrefix("reference run 1/1") })
        #expect(report.table.contains("attention") && report.table.contains("speedup"))
        let decoded = try JSONDecoder().decode(ViTBenchmarkReport.self, from: Data(try report.jsonLine().utf8))
        #expect(decoded.rows.count == report.rows.count && decoded.options == report.options)
    }
}
