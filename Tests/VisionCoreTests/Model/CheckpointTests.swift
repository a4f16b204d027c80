import Foundation
import Testing
@testable import VisionCore

/// Checkpoint directories written by Python's safetensors: a single `visual.` file (BF16) and a sharded
/// `model.visual.` checkpoint with an index (F32 / F16 / BF16).
struct CheckpointTests {
    static let single = ConvFixtures.path("checkpoint_single")
    static let sharded = ConvFixtures.path("checkpoint_sharded")

    @Test(arguments: [single, sharded])
    func bothPrefixesResolve(_ dir: String) throws {
        let checkpoint = try SafeTensorsCheckpoint(path: dir)
        let expected = try ConvFixtures.file("checkpoint_expected.safetensors")
        for name in ["visual.patch_embed.proj.weight", "model.visual.patch_embed.proj.weight"] {
            #expect(try checkpoint.floats(name) == expected.floats("patch_embed"), "\(name)")
            #expect(checkpoint.shape(name) == [8, 3, 2, 2, 2])
        }
        #expect(try checkpoint.floats("visual.blocks.0.attn.qkv.weight") == expected.floats("qkv"))
        let norm = try checkpoint.floats("visual.blocks.0.norm1.weight")
        #expect(norm == (dir == Self.single ? try expected.floats("norm1") : try expected.floats("norm1_f16")))
        #expect(checkpoint.resolve("visual.nope") == nil)
        #expect(checkpoint.resolve("language_model.x") == nil)
        #expect(throws: SafeTensorsError.self) { try checkpoint.floats("visual.nope") }
        #expect(checkpoint.tensorNames.count == 4)
    }

    @Test func shardedCheckpointOpensEveryShard() throws {
        let checkpoint = try SafeTensorsCheckpoint(path: Self.sharded)
        #expect(checkpoint.files.count == 2)
        #expect(checkpoint.resolve("visual.patch_embed.proj.weight") == "model.visual.patch_embed.proj.weight")
        #expect(checkpoint.info("visual.blocks.0.norm1.weight")?.dtype == .f16)
        #expect(checkpoint.info("visual.blocks.0.attn.qkv.weight")?.dtype == .bf16)
    }

    @Test func singleFilePathWorks() throws {
        let checkpoint = try SafeTensorsCheckpoint(path: Self.single + "/model.safetensors")
        #expect(checkpoint.resolve("model.visual.patch_embed.proj.weight") == "visual.patch_embed.proj.weight")
    }

    @Test(arguments: [single, sharded])
    func visionWeightsLoadTheDirectoryAsIs(_ dir: String) throws {
        let (weights, description) = try VisionWeights.load(modelDirectory: dir, weightsPath: nil)
        #expect(weights.config.hiddenSize == 8)
        #expect(weights.config.patchSize == 2)
        #expect(weights.source == .checkpoint(dir))
        #expect(weights.patchEmbed == (try ConvFixtures.file("checkpoint_expected.safetensors").floats("patch_embed")))
        #expect(description.contains(dir))
        let embedding = try weights.patchEmbedding()
        #expect(embedding.inputSize == 24)
        #expect(embedding.hiddenSize == 8)
    }

    @Test func seededWhenNoWeights() throws {
        let modelDir = URL(fileURLWithPath: ConvFixtures.directory).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models/qwen2.5-vl-7b").path
        let (weights, description) = try VisionWeights.load(modelDirectory: modelDir, weightsPath: nil)
        #expect(weights.source == .seeded(0))
        #expect(description.contains("seeded"))
        #expect(weights.patchEmbed.count == 1280 * 1176)
        #expect(weights.config.outHiddenSize == 3584)
    }

    @Test func shapeMismatchWithConfigIsAnError() throws {
        // The 7B config (1280 x 1176 patch embed) with the tiny checkpoint's [8, 3, 2, 2, 2] tensor.
        let checkpoint = try SafeTensorsCheckpoint(path: Self.single)
        #expect(throws: VisionWeightsError.self) { try VisionWeights(config: VisionConfig(), checkpoint: checkpoint) }
    }

    @Test func badIndexAndMissingDirectories() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("vlserve-ckpt-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        #expect(throws: SafeTensorsError.self) { try SafeTensorsCheckpoint(path: tmp.path) } // empty directory
        #expect(throws: SafeTensorsError.self) { try SafeTensorsCheckpoint(path: tmp.path + "/missing") }
        let index = tmp.appendingPathComponent("model.safetensors.index.json")
        for (body, reason) in [
            (#"[]"#, "not a JSON object"),
            (#"{"#, "not valid JSON"),
            (#"{"metadata":{}}"#, #"no "weight_map" object"#),
            (#"{"weight_map":[]}"#, #"no "weight_map" object"#),
            (#"{"weight_map":{}}"#, "weight_map is empty"),
            (#"{"weight_map":{"a":"../x.safetensors"}}"#, "weight_map['a'] is not a .safetensors file name"),
            (#"{"weight_map":{"a":3}}"#, "weight_map['a'] is not a .safetensors file name"),
            (#"{"weight_map":{"a":"x.bin"}}"#, "weight_map['a'] is not a .safetensors file name"),
            (#"{"weight_map":{"a":"missing.safetensors"}}"#, "missing.safetensors"),
        ] {
            try Data(body.utf8).write(to: index)
            do {
                _ = try SafeTensorsCheckpoint(path: tmp.path)
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.description.contains(reason), "\(body): \(error)")
            }
        }
        // An index naming a shard that lacks the tensor.
        var writer = SafeTensorsWriter()
        try writer.add("b", floats: [1], shape: [1])
        try writer.write(to: tmp.appendingPathComponent("s.safetensors").path)
        try Data(#"{"weight_map":{"a":"s.safetensors"}}"#.utf8).write(to: index)
        do {
            _ = try SafeTensorsCheckpoint(path: tmp.path)
            Issue.record("index naming a missing tensor accepted")
        } catch {
            #expect(error.description.contains("does not contain it"))
        }
    }
}
