import Foundation
import Testing
@testable import VisionCore

/// The 7B vision config (1280 wide, 16 heads × 80, MLP 3420, out 3584) against transformers on grid 1×8×12:
/// block 0 (window attention), block 7 (full attention) and the merger, each on the input transformers saw
/// (tower_real.safetensors). Only those weights are generated, so the test takes seconds; the whole 32-block
/// tower against the same fixture's `pooler_f32` runs with VLSERVE_FULL_TOWER_TEST=1.
@Suite struct VisionTowerRealConfigTests {

    static let grids = [GridTHW(t: 1, h: 8, w: 12)]

    struct Result {
        var name: String
        var error: Double
        var cosine: Double
        var torchBF16Error: Double
    }

    /// The seeded parameters of blocks 0 and 7 and the merger, generated once for both dtypes' tests.
    static let weights = Swift.Result<VisionTowerWeights, any Error> {
        let seeded = VisionTowerWeights.seeded(config: TowerFixtures.real)
        var tensors: [String: [Float]] = [:]
        for (name, shape) in seeded.parameterShapes
        where name.hasPrefix("visual.blocks.0.") || name.hasPrefix("visual.blocks.7.") || name.hasPrefix("visual.merger.") {
            tensors[name] = try seeded.tensor(name, shape: shape)
        }
        return VisionTowerWeights(config: TowerFixtures.real, source: .tensors(tensors))
    }

    func compare(_ options: VisionTowerOptions) throws -> [Result] {
        let file = try TowerFixtures.file("tower_real.safetensors")
        let weights = try Self.weights.get()
        var results: [Result] = []
        var timings = OperatorTimings()
        for (name, block) in [("block0", 0), ("block7", 7)] {
            let tower = try VisionTower(weights: weights, options: options, blockIndices: [block],
                                        withPatchEmbedding: false, withMerger: false)
            let out = try tower.forward(windowOrdered: try file.floats("\(name).input"), grids: Self.grids,
                                        timings: &timings)
            let reference = try file.floats("\(name).output_f32")
            results.append(Result(name: name, error: relativeError(out, reference), cosine: cosine(out, reference),
                                  torchBF16Error: relativeError(try file.floats("\(name).output_bf16"), reference)))
        }
        let merger = try VisionTower(weights: weights, options: options, blockIndices: [], withPatchEmbedding: false,
                                     withMerger: true)
        // forward() returns the merger's output in raster order; the fixture holds it in window order.
        let raster = try merger.forward(windowOrdered: try file.floats("merger.input"), grids: Self.grids,
                                        timings: &timings)
        let layout = WindowLayout(grids: Self.grids)
        var windowOrder = [Float]()
        for token in layout.windowIndex { windowOrder += raster[(token * 3584)..<((token + 1) * 3584)] }
        let reference = try file.floats("merger.output_f32")
        results.append(Result(name: "merger", error: relativeError(windowOrder, reference),
                              cosine: cosine(windowOrder, reference),
                              torchBF16Error: relativeError(try file.floats("merger.output_bf16"), reference)))
        return results
    }

    @Test func float32BlocksAndMergerMatchTransformers() throws {
        for r in try compare(VisionTowerOptions()) {
            print("7B config \(r.name), float32: max|Δ|/max|ref| \(r.error), cosine \(r.cosine)")
            #expect(r.error <= 1e-4, "\(r.name): \(r.error)")
            #expect(r.cosine >= 0.99999, "\(r.name): cosine \(r.cosine)")
        }
    }

    @Test(.enabled(if: CPUFeatures.current.nativeBF16, "this CPU has no native bfloat16; bf16 GEMMs are not offered"))
    func bfloat16BlocksAndMergerWithinTorchsOwnError() throws {
        for r in try compare(VisionTowerOptions(gemm: GemmConfiguration(backend: .onednn, dtype: .bfloat16))) {
            print("7B config \(r.name), bfloat16: \(r.error) (torch bf16 \(r.torchBF16Error)), cosine \(r.cosine)")
            #expect(r.error <= 1.5 * r.torchBF16Error, "\(r.name): \(r.error) vs torch \(r.torchBF16Error)")
            #expect(r.cosine >= 0.999, "\(r.name): cosine \(r.cosine)")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["VLSERVE_FULL_TOWER_TEST"] == "1",
                   "the whole 7B tower (676M seeded parameters) runs only with VLSERVE_FULL_TOWER_TEST=1"))
    func wholeTowerMatchesTransformers() throws {
        let file = try TowerFixtures.file("tower_real.safetensors")
        let tower = try VisionTower(weights: .seeded(config: TowerFixtures.real))
        let out = try tower.encode(pixelValues: TowerFixtures.pixelValues("real", rows: 96), grids: Self.grids)
        let reference = try file.floats("pooler_f32")
        let error = relativeError(out, reference)
        print("whole 7B tower, float32: max|Δ|/max|ref| \(error), cosine \(cosine(out, reference))")
        #expect(error <= 1e-3)
        #expect(cosine(out, reference) >= 0.99999)
    }
}
