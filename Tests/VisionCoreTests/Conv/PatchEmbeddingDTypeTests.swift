import Foundation
import Testing
@testable import VisionCore

/// Every implementation on every backend and dtype against torch (patch_embed_bf16.safetensors, made by
/// scripts/fixtures/make_bf16_fixtures.py): float32 within 1e-5 of the float64 result; bfloat16 no worse
/// than 1.5x torch's own bf16 `F.linear` error on the same inputs and weights.
struct PatchEmbeddingDTypeTests {
    static let weights = VisionWeights.seeded(config: VisionConfig(), seed: 0)
    static let implementations: [Conv3dImplementation] = [.direct, .conv, .im2col, .gemm, .folded]

    struct Case {
        let name: String
        let pixels: [Float]
        let reference: [Float]
        let torchBF16Error: Double
        var rows: Int { pixels.count / 1176 }
    }

    static func cases() throws -> [Case] {
        let file = try ConvFixtures.file("patch_embed_bf16.safetensors")
        return try ["seeded", "photo"].map { name in
            Case(name: name, pixels: try file.floats("\(name).pixel_values"), reference: try file.floats("\(name).ref_f64"),
                 torchBF16Error: Double(try file.floats("\(name).torch_bf16_errors")[0]))
        }
    }

    @Test(arguments: [GemmBackend.openblas, .onednn])
    func float32MatchesFloat64Torch(_ backend: GemmBackend) throws {
        let embedding = try Self.weights.patchEmbedding(gemm: GemmConfiguration(backend: backend, dtype: .float32))
        for c in try Self.cases() {
            for impl in Self.implementations {
                let out = try embedding.embed(pixelValues: c.pixels, rows: c.rows, implementation: impl)
                let error = relativeError(out, c.reference)
                #expect(error <= 1e-5, "\(c.name) \(impl) \(backend): \(error)")
            }
        }
    }

    @Test(.enabled(if: nativeBF16, bf16SkipReason))
    func bfloat16IsNoWorseThanTorchsBF16() throws {
        let embedding = try Self.weights.patchEmbedding(gemm: GemmConfiguration(backend: .onednn, dtype: .bfloat16))
        for c in try Self.cases() {
            #expect(c.torchBF16Error > 1e-3 && c.torchBF16Error < 2e-2, "fixture sanity: \(c.torchBF16Error)")
            for impl in Self.implementations {
                let out = try embedding.embed(pixelValues: c.pixels, rows: c.rows, implementation: impl)
                let error = relativeError(out, c.reference)
                #expect(error <= 1.5 * c.torchBF16Error, "\(c.name) \(impl): \(error) vs torch bf16 \(c.torchBF16Error)")
            }
        }
    }

    /// The photo case's input is transformers' PIL processor output; VLServe's preprocessing gives the same rows.
    @Test func photoRowsAreVLServesOwnPreprocessing() throws {
        let path = PreprocessFixtures.directory.appendingPathComponent("images/photo_640x480.jpg").path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let image = try ImagePreprocessor(config: .qwen25VLDefault).preprocess(encoded: bytes).image
        let photo = try #require(try Self.cases().first { $0.name == "photo" })
        #expect(Array(image.pixelValues.prefix(photo.pixels.count)) == photo.pixels)
    }

    @Test func foldedReadsOneFrameAndRefusesMovingImages() throws {
        let embedding = try Self.weights.patchEmbedding()
        let c = try #require(try Self.cases().first)
        let fromFull = try embedding.embed(pixelValues: c.pixels, rows: c.rows, implementation: .folded)
        let frames = c.pixels.withUnsafeBufferPointer { buffer in
            try! PatchEmbedding.firstFrames(buffer, rows: c.rows, frameSize: 588, inputSize: 1176, channels: 3)
        }
        #expect(try embedding.embedStill(frames: frames, rows: c.rows) == fromFull)
        var moving = c.pixels
        moving[1176 + 196 + 5] += 0.5  // row 1, channel 0, frame 1 differs from frame 0
        #expect(throws: Conv3dError.self) { try embedding.embed(pixelValues: moving, rows: c.rows, implementation: .folded) }
        #expect(throws: Conv3dError.self) { try embedding.embedStill(frames: [Float](repeating: 0, count: 587), rows: 1) }
        let k = embedding.conv.geometry.kernel
        #expect(throws: Conv3dError.self) {
            try embedding.conv.forward(c.pixels, batch: c.rows, depth: k.t, height: k.h, width: k.w, implementation: .folded)
        }
    }

    @Test func preprocessorCanWriteOneFramePerPatch() throws {
        let path = PreprocessFixtures.directory.appendingPathComponent("images/photo_640x480.jpg").path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let full = try ImagePreprocessor(config: .qwen25VLDefault).preprocess(encoded: bytes).image
        let still = try ImagePreprocessor(config: .qwen25VLDefault, framesPerPatch: 1).preprocess(encoded: bytes).image
        #expect(still.patchDimension == 588 && still.patchCount == full.patchCount)
        let frames = full.pixelValues.withUnsafeBufferPointer { buffer in
            try! PatchEmbedding.firstFrames(buffer, rows: full.patchCount, frameSize: 588, inputSize: 1176, channels: 3)
        }
        #expect(still.pixelValues == frames)
    }
}
