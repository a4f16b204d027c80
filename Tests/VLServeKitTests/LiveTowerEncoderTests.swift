import Engine
import Foundation
import Testing
import VisionCore
@testable import VLServeKit

/// `--vision-encoder full`: the engine encodes a step's images with the whole tower as one variable-length
/// batch; each image's embeddings have its merged token count; /metrics has per-operator histograms.
@Suite struct LiveTowerEncoderTests {
    /// A small tower (4 blocks, two with full attention) with seeded weights.
    static let config = VisionConfig.smallTower

    /// Images of different sizes encoded in one call (as the engine encodes a step's images): each gets its merged
    /// token count, and the values it would get alone.
    @Test func oneBatchGivesEachImageItsTokensAsIfAlone() throws {
        let tower = try VisionTower(weights: .seeded(config: Self.config))
        let encoder = TowerEncoder(tower: tower)
        let images = [(4, 6), (2, 2), (8, 8)].map { h, w in
            EngineImage(pixelValues: SeededInit(seed: 0).uniform("img\(h)x\(w)", count: h * w * 1176, bound: 2),
                        gridT: 1, gridH: h, gridW: w)
        }
        let outputs = try encoder.encode(images)
        #expect(outputs.map(\.rows) == [6, 1, 16])
        #expect(outputs.allSatisfy { $0.width == 48 && $0.values.count == $0.rows * 48 })
        // The batch gives each image what it would get alone.
        for (image, output) in zip(images, outputs) {
            let alone = try tower.encode(pixelValues: image.pixelValues, grids: [GridTHW(t: 1, h: image.gridH, w: image.gridW)])
            #expect(zip(alone, output.values).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
        }
    }

    @Test(.timeLimit(.minutes(1))) func servesAChatWithTheWholeTower() async throws {
        let tower = try VisionTower(weights: .seeded(config: Self.config))
        let server = try VLServer(app: AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "m", maxModelLen: 4096),
                                  engine: EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                                  server: testServerConfiguration(), encoder: TowerEncoder(tower: tower),
                                  preprocessor: ImagePreprocessor(config: .qwen25VLDefault), preprocessThreads: 1,
                                  logger: .silent())
        let port = try server.start()
        let response = try await request(port, "POST", "/v1/chat/completions",
                                         body: chatBody(images: [try jpegDataURL(width: 112, height: 84)], extra: #","max_tokens":2"#))
        let metrics = try await request(port, "GET", "/metrics")
        await server.shutdown(drainTimeout: .seconds(1))
        #expect(response.status == 200)
        #expect(server.engine.counters.encodedImages == 1 && server.engine.counters.failed == 0)
        for op in ["patch_embed", "layout", "norm", "qkv", "rotary", "attention", "proj", "mlp", "merger"] {
            #expect(metrics.text.contains("vlserve:vision_operator_seconds_count{model_name=\"test-vlm\",engine=\"0\",operator=\"\(op)\""),
                    "missing operator \(op)")
        }
        #expect(metrics.text.contains("vlserve:vision_operator_seconds_count{model_name=\"test-vlm\",engine=\"0\",operator=\"attention\","
                                      + "implementation=\"flash\"} 1.0"))
        #expect(metrics.text.contains("encoder=\"full\""))
    }
}
