import Foundation
import Testing
@testable import VisionCore

/// The whole tower (small config) against transformers' Qwen2_5_VisionTransformerPretrainedModel with the same
/// seeded weights and inputs (tower_small.safetensors).
@Suite struct VisionTowerFixtureTests {
    static let cases = ["single", "batch"]

    static let allFast = VisionTowerOptions()
    static let optionSets: [VisionTowerOptions] = [
        .reference(),
        allFast,
        VisionTowerOptions(attention: .flash, rotary: .table, norm: .reference, mlp: .fused),
        VisionTowerOptions(attention: .reference, rotary: .fused, norm: .fused, mlp: .reference),
        VisionTowerOptions(gemm: GemmConfiguration(backend: .onednn, dtype: .float32)),
    ]

    func run(_ options: VisionTowerOptions, _ name: String) throws -> (ours: [Float], file: SafeTensorsFile) {
        let file = try TowerFixtures.file("tower_small.safetensors")
        let grids = try TowerFixtures.grids(file, "\(name).grids")
        let rows = grids.reduce(0) { $0 + $1.patches }
        let tower = try VisionTower(weights: .seeded(config: VisionConfig.smallTower), options: options)
        let out = try tower.encode(pixelValues: TowerFixtures.pixelValues(name, rows: rows), grids: grids)
        #expect(out.count == tower.outputTokens(grids: grids) * 48)
        return (out, file)
    }

    @Test(arguments: optionSets)
    func float32MatchesTransformers(options: VisionTowerOptions) throws {
        for name in Self.cases {
            let (ours, file) = try run(options, name)
            let reference = try file.floats("\(name).pooler_f32")
            let error = relativeError(ours, reference)
            let cos = cosine(ours, reference)
            print("small \(name) \(options): max|Δ|/max|ref| \(error), cosine \(cos)")
            #expect(error <= 1e-4, "\(name) \(options): max|Δ|/max|ref| = \(error)")
            #expect(cos >= 0.99999, "\(name) \(options): cosine \(cos)")
        }
    }

    /// bfloat16 GEMMs: VLServe's error against transformers' float32 within 1.5× torch's own bf16 error.
    @Test(.enabled(if: CPUFeatures.current.nativeBF16, "this CPU has no native bfloat16; bf16 GEMMs are not offered"),
          arguments: [VisionTowerOptions.reference(gemm: GemmConfiguration(backend: .onednn, dtype: .bfloat16)),
                      VisionTowerOptions(gemm: GemmConfiguration(backend: .onednn, dtype: .bfloat16))])
    func bfloat16WithinTorchsOwnError(options: VisionTowerOptions) throws {
        for name in Self.cases {
            let (ours, file) = try run(options, name)
            let reference = try file.floats("\(name).pooler_f32")
            let torchError = relativeError(try file.floats("\(name).pooler_bf16"), reference)
            let error = relativeError(ours, reference)
            print("small \(name) \(options): \(error) (torch bf16 \(torchError)), cosine \(cosine(ours, reference))")
            #expect(error <= 1.5 * torchError, "\(name) \(options): \(error) vs torch bf16 \(torchError)")
            #expect(cosine(ours, reference) >= 0.999)
        }
    }

    /// Hidden states after block 0 (window attention) and block 1 (full attention), in window order.
    @Test func blockOutputsMatchTransformers() throws {
        let file = try TowerFixtures.file("tower_small.safetensors")
        let config = VisionConfig.smallTower
        let weights = VisionTowerWeights.seeded(config: config)
        for name in Self.cases {
            let grids = try TowerFixtures.grids(file, "\(name).grids")
            let rows = grids.reduce(0) { $0 + $1.patches }
            let embedding = try PatchEmbedding(
                config: config,
                weight: try weights.tensor(VisionWeights.patchEmbedName, shape: [80, 3, 2, 14, 14]))
            let embeds = try embedding.embed(pixelValues: TowerFixtures.pixelValues(name, rows: rows), rows: rows)
            let layout = WindowLayout(grids: grids)
            var ordered = [Float]()
            for group in layout.windowIndex { ordered += embeds[(group * 4 * 80)..<((group + 1) * 4 * 80)] }
            var timings = OperatorTimings()
            let tower0 = try VisionTower(weights: weights, options: VisionTowerOptions(), blockIndices: [0],
                                         withPatchEmbedding: false, withMerger: false)
            let after0 = try tower0.forward(windowOrdered: ordered, grids: grids, timings: &timings)
            #expect(relativeError(after0, try file.floats("\(name).block0")) <= 1e-5, "\(name) block 0")
            let tower1 = try VisionTower(weights: weights, options: VisionTowerOptions(), blockIndices: [1],
                                         withPatchEmbedding: false, withMerger: false)
            let after1 = try tower1.forward(windowOrdered: try file.floats("\(name).block0"), grids: grids,
                                            timings: &timings)
            #expect(relativeError(after1, try file.floats("\(name).block1")) <= 1e-5, "\(name) block 1")
            #expect(timings.entries.contains { $0.operation == .attention && $0.calls == 2 })
        }
    }

    /// A checkpoint directory as released (here F32, `model.visual.` prefix, two shards with an index) gives
    /// the same tower as the seeded weights it holds.
    @Test func checkpointDirectoryEqualsSeeded() throws {
        let config = VisionConfig.smallTower
        let seeded = VisionTowerWeights.seeded(config: config)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vlserve-tower-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let h = 80, i = 100
        var shapes: [(String, [Int])] = [(VisionWeights.patchEmbedName, [h, 3, 2, 14, 14])]
        for b in 0..<config.depth {
            let p = "visual.blocks.\(b)."
            shapes += [(p + "norm1.weight", [h]), (p + "norm2.weight", [h]), (p + "attn.qkv.weight", [3 * h, h]),
                       (p + "attn.qkv.bias", [3 * h]), (p + "attn.proj.weight", [h, h]), (p + "attn.proj.bias", [h]),
                       (p + "mlp.gate_proj.weight", [i, h]), (p + "mlp.gate_proj.bias", [i]),
                       (p + "mlp.up_proj.weight", [i, h]), (p + "mlp.up_proj.bias", [i]),
                       (p + "mlp.down_proj.weight", [h, i]), (p + "mlp.down_proj.bias", [h])]
        }
        shapes += [("visual.merger.ln_q.weight", [h]), ("visual.merger.mlp.0.weight", [4 * h, 4 * h]),
                   ("visual.merger.mlp.0.bias", [4 * h]), ("visual.merger.mlp.2.weight", [48, 4 * h]),
                   ("visual.merger.mlp.2.bias", [48])]
        var shards = [SafeTensorsWriter(), SafeTensorsWriter()]
        var map: [String: String] = [:]
        for (n, (name, shape)) in shapes.enumerated() {
            let stored = "model." + name
            try shards[n % 2].add(stored, floats: try seeded.tensor(name, shape: shape), shape: shape)
            map[stored] = "model-0000\(n % 2 + 1)-of-00002.safetensors"
        }
        for s in 0..<2 { try shards[s].write(to: directory.appendingPathComponent("model-0000\(s + 1)-of-00002.safetensors").path) }
        let index = try JSONEncoder().encode(WeightIndex(weightMap: map))
        try index.write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        let checkpoint = try SafeTensorsCheckpoint(path: directory.path)
        let grids = [GridTHW(t: 1, h: 4, w: 6)]
        let pixels = TowerFixtures.pixelValues("checkpoint", rows: 24)
        let fromSeed = try VisionTower(weights: seeded).encode(pixelValues: pixels, grids: grids)
        let fromCheckpoint = try VisionTower(weights: VisionTowerWeights(config: config, source: .checkpoint(checkpoint)))
            .encode(pixelValues: pixels, grids: grids)
        #expect(fromSeed == fromCheckpoint)
    }

    /// `model.safetensors.index.json` (only its `weight_map`), written with VisionCore's JSON stack (Codable), which
    /// also reads it.
    struct WeightIndex: Encodable {
        var weightMap: [String: String]
        enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
    }

    @Test func rejectsBadInputs() throws {
        let tower = try VisionTower(weights: .seeded(config: VisionConfig.smallTower))
        #expect(throws: VisionTowerError.self) { try tower.encode(pixelValues: [0, 1], grids: [GridTHW(t: 1, h: 2, w: 2)]) }
        #expect(throws: VisionTowerError.self) {
            try tower.encode(pixelValues: [Float](repeating: 0, count: 3 * 1176), grids: [GridTHW(t: 1, h: 1, w: 3)])
        }
        #expect(try tower.encode(pixelValues: [], grids: []).isEmpty)
    }
}

extension VisionTowerOptions: CustomTestStringConvertible {
    public var testDescription: String { description }
}
