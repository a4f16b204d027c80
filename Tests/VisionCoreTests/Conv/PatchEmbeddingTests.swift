import Testing
@testable import VisionCore

/// The Qwen2.5-VL patch embedding ([1280, 3, 2, 14, 14], kernel = stride) with VLServe's seeded weights
/// against torch.nn.Conv3d (patch_embed.safetensors).
struct PatchEmbeddingTests {
    static let seeded = VisionWeights.seeded(config: VisionConfig(), seed: 0)

    @Test func seededWeightsMatchThePythonGenerator() throws {
        let file = try ConvFixtures.file("patch_embed.safetensors")
        let head = try file.floats("weight_head")
        #expect(Array(Self.seeded.patchEmbed.prefix(head.count)) == head)
        let expectedSum = try #require(try file.floats("weight_sum").first)
        let sum = Self.seeded.patchEmbed.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - Double(expectedSum)) < 1e-3)
        let bound = Float(1 / (1176.0).squareRoot())
        #expect(Self.seeded.patchEmbed.allSatisfy { $0 >= -bound && $0 < bound })
        #expect(Self.seeded.patchEmbed.count == 1280 * 1176)
    }

    @Test(arguments: Conv3dImplementation.allCases)
    func matchesTorchConv3d(_ impl: Conv3dImplementation) throws {
        let file = try ConvFixtures.file("patch_embed.safetensors")
        let pixels = try file.floats("pixel_values")
        let expected = try file.floats("patch_embeds_f64")
        let torch32 = try file.floats("patch_embeds")
        let embedding = try Self.seeded.patchEmbedding()
        #expect(embedding.inputSize == 1176)
        #expect(embedding.hiddenSize == 1280)
        let out = try embedding.embed(pixelValues: pixels, rows: 16, implementation: impl)
        #expect(out.count == 16 * 1280)
        #expect(relativeError(out, expected) <= 1e-5, "\(impl) vs float64 torch")
        #expect(relativeError(out, torch32) <= 1e-4, "\(impl) vs float32 torch")
    }

    @Test func implementationsAgreeOnManyRows() throws {
        var rng = TestRandom(3)
        let rows = 37
        let pixels = rng.array(rows * 1176)
        let embedding = try Self.seeded.patchEmbedding()
        let direct = try embedding.embed(pixelValues: pixels, rows: rows, implementation: .direct)
        for impl in [Conv3dImplementation.im2col, .gemm, .auto] {
            let out = try embedding.embed(pixelValues: pixels, rows: rows, implementation: impl)
            #expect(relativeError(out, direct) <= 1e-5, "\(impl)")
        }
    }

    @Test func zeroRowsAndWrongSizes() throws {
        let embedding = try Self.seeded.patchEmbedding()
        #expect(try embedding.embed(pixelValues: [], rows: 0).isEmpty)
        #expect(throws: Conv3dError.self) { try embedding.embed(pixelValues: [Float](repeating: 0, count: 1175), rows: 1) }
        #expect(throws: Conv3dError.self) { try embedding.embed(pixelValues: [Float](repeating: 0, count: 1176), rows: 2) }
        #expect(throws: Conv3dError.self) { try PatchEmbedding(config: VisionConfig(), weight: [1, 2, 3]) }
    }

    @Test func smallConfigGeometry() throws {
        var config = VisionConfig()
        config.hiddenSize = 8
        config.patchSize = 2
        config.numHeads = 2
        let embedding = try PatchEmbedding(config: config, weight: [Float](repeating: 0.5, count: 8 * 24))
        #expect(embedding.inputSize == 24)
        let out = try embedding.embed(pixelValues: [Float](repeating: 1, count: 48), rows: 2, implementation: .gemm)
        #expect(out == [Float](repeating: 12, count: 16))
    }

    /// The folded weights are prepared on the first `.folded` call only, once, even from concurrent tasks,
    /// and give the unfolded result for a still image.
    @Test func foldedWeightsArePreparedOnFirstUse() async throws {
        var config = VisionConfig()
        config.hiddenSize = 8
        config.patchSize = 2
        config.numHeads = 2
        var rng = TestRandom(5)
        let embedding = try PatchEmbedding(config: config, weight: rng.array(8 * 24))
        let rows = 5
        let frame = rng.array(rows * 12)
        var still: [Float] = []   // both temporal frames equal: [rows, 3, 2, 2, 2]
        for r in 0..<rows {
            for c in 0..<3 { for _ in 0..<2 { still += frame[(r * 12 + c * 4)..<(r * 12 + c * 4 + 4)] } }
        }
        let unfolded = try embedding.embed(pixelValues: still, rows: rows, implementation: .gemm)
        #expect(!embedding.folded.isPrepared, "the unfolded path must not prepare the folded weights")
        let outputs = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<8 { group.addTask { try embedding.embedStill(frames: frame, rows: rows) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(embedding.folded.isPrepared)
        #expect(outputs.count == 8 && outputs.allSatisfy { $0 == outputs[0] })
        #expect(relativeError(outputs[0], unfolded) <= 1e-6)
        #expect(try embedding.embed(pixelValues: still, rows: rows, implementation: .folded) == outputs[0])
    }
}
