import Engine
import Foundation
import Testing
import VisionCore
@testable import VLServeKit

/// `--conv-impl folded`: the preprocessor writes one frame per patch and the engine embeds it with the folded
/// weights; the request is served like any other and the encoder metrics say `folded`.
@Suite struct LiveFoldedEncoderTests {
    @Test(.timeLimit(.minutes(1))) func servesImagesWithTheFoldedPatchEmbedding() async throws {
        let weights = VisionWeights.seeded(config: VisionConfig())
        let encoder = PatchEmbeddingEncoder(embedding: try weights.patchEmbedding(), implementation: .folded)
        #expect(encoder.framesPerPatch == 1)
        let server = try VLServer(app: AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "m", maxModelLen: 4096),
                                  engine: EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                                  server: testServerConfiguration(), encoder: encoder,
                                  preprocessor: ImagePreprocessor(config: .qwen25VLDefault, framesPerPatch: encoder.framesPerPatch),
                                  preprocessThreads: 1, logger: .silent())
        let port = try server.start()
        let response = try await request(port, "POST", "/v1/chat/completions",
                                         body: chatBody(images: [try jpegDataURL(width: 56, height: 56)], extra: #","max_tokens":2"#))
        let metrics = try await request(port, "GET", "/metrics")
        await server.shutdown(drainTimeout: .seconds(1))
        #expect(response.status == 200)
        #expect(metrics.text.contains("vlserve:vision_encoder_patches_total{model_name=\"test-vlm\",engine=\"0\",encoder=\"patch-embed\",conv_impl=\"folded\","
                                      + "gemm_backend=\"openblas\",dtype=\"float32\"} 16.0"))
        #expect(server.engine.counters.encodedImages == 1 && server.engine.counters.failed == 0)
    }
}
