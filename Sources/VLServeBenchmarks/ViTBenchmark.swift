import Foundation
import VisionCore

/// `vlserve bench-vit`: the whole vision tower on one seeded image, per operator, with the selected
/// implementations and with every operator's naive reference, in one run.
///
/// Weights are `SeededInit.towerParameter` (generated once and shared by both towers); pixel values are
/// `SeededInit(seed: 1).uniform("bench.pixel_values", bound: 2)`. One warm-up run of the selected tower, then
/// the runs are interleaved (selected, reference, selected, ...) so drift affects both; every figure is a
/// median over runs. GFLOP/s counts a multiply-add as 2 FLOPs.
public enum ViTBenchmark {
    public static func run(config: VisionConfig, grid: GridTHW, imageSize: String, options: VisionTowerOptions,
                           repeats: Int, referenceRepeats: Int,
                           progress: (String) -> Void = { _ in }) throws -> ViTBenchmarkReport {
        precondition(repeats > 0 && referenceRepeats >= 0)
        progress("generating seeded weights (\(config.depth) blocks, hidden \(config.hiddenSize))")
        let weights = try VisionTowerWeights.seeded(config: config).materialized()
        progress("preparing the GEMMs (\(options.gemm))")
        let tower = try VisionTower(weights: weights, options: options)
        let reference = referenceRepeats > 0
            ? try VisionTower(weights: weights, options: .reference(gemm: options.gemm)) : nil
        let pixels = SeededInit(seed: 1).uniform("bench.pixel_values", count: grid.patches * config.patchInputSize, bound: 2)

        func timedRun(_ t: VisionTower, _ label: String, _ index: Int, _ count: Int) throws -> (Double, OperatorTimings) {
            var timings = OperatorTimings()
            let start = ContinuousClock.now
            _ = try t.encode(pixelValues: pixels, grids: [grid], timings: &timings)
            let seconds = BenchmarkStatistics.seconds(since: start)
            progress(String(format: "%@ run %d/%d: %.2f s", label, index, count, seconds))
            return (seconds, timings)
        }
        _ = try timedRun(tower, "warm-up", 1, 1)
        var selected: [(Double, OperatorTimings)] = []
        var naive: [(Double, OperatorTimings)] = []
        for r in 0..<max(repeats, referenceRepeats) {
            if r < repeats { selected.append(try timedRun(tower, "selected", r + 1, repeats)) }
            if r < referenceRepeats, let reference { naive.append(try timedRun(reference, "reference", r + 1, referenceRepeats)) }
        }

        let total = BenchmarkStatistics.median(selected.map(\.0))
        let referenceTotal = naive.isEmpty ? nil : BenchmarkStatistics.median(naive.map(\.0))
        var table: [ViTBenchmarkRow] = []
        for op in TowerOperator.allCases {
            guard let entry = selected[0].1.entries.first(where: { $0.operation == op }) else { continue }
            let ms = BenchmarkStatistics.median(selected.map { $0.1.seconds(op) }) * 1000
            let refEntry = naive.first?.1.entries.first { $0.operation == op }
            let refMs = naive.isEmpty ? nil : BenchmarkStatistics.median(naive.map { $0.1.seconds(op) }) * 1000
            table.append(ViTBenchmarkRow(
                operation: op.rawValue, implementation: entry.implementation, ms: ms,
                gflops: ms > 0 ? entry.flops / (ms / 1000) / 1e9 : 0, share: total > 0 ? ms / 1000 / total : 0,
                referenceImplementation: refEntry?.implementation, referenceMs: refMs,
                speedup: refMs.map { ms > 0 ? $0 / ms : 0 }))
        }
        let flops = selected[0].1.entries.reduce(0) { $0 + $1.flops }
        table.append(ViTBenchmarkRow(operation: "tower", implementation: "selected", ms: total * 1000,
                                    gflops: flops / total / 1e9, share: 1,
                                    referenceImplementation: referenceTotal == nil ? nil : "reference",
                                    referenceMs: referenceTotal.map { $0 * 1000 },
                                    speedup: referenceTotal.map { $0 / total }))
        var kernels = tower.kernelNames(rows: grid.patches)
        kernels["blas_core"] = BLAS.coreName
        let merge = config.spatialMergeSize * config.spatialMergeSize
        return ViTBenchmarkReport(
            cpu: CPUFeatures.modelName, cpuFeatures: CPUFeatures.current.names, dtype: options.gemm.dtype.rawValue,
            backend: options.gemm.backend.rawValue, kernels: kernels, imageSize: imageSize,
            grid: [grid.t, grid.h, grid.w], patches: grid.patches, tokens: grid.patches / merge,
            threads: options.resolvedThreads, repeats: repeats, referenceRepeats: naive.count,
            options: options.description, rows: table)
    }
}
