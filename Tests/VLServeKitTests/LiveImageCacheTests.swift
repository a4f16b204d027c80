import Engine
import Foundation
import NetIO
import Observability
import OpenAIAPI
import Testing
import VisionCore
@testable import VLServeKit

/// The patch embedding, counting its calls and images (read from test threads, so behind a lock).
final class CountingEncoder: VisionEncoder, @unchecked Sendable {
    let inner: PatchEmbeddingEncoder
    let calls = Locked((calls: 0, images: 0))
    init(_ inner: PatchEmbeddingEncoder) { self.inner = inner }
    var metricLabels: [(String, String)] { inner.metricLabels }
    func encode(_ images: [EngineImage]) throws -> [EncodedImage] {
        calls.withLock { $0.calls += 1; $0.images += images.count }
        return try inner.encode(images)
    }
}

/// The same image sent twice: the second request is served from the image cache (no decode, preprocess or
/// encode), says so in its log line and in `/metrics`, and answers what the first answered.
@Suite struct LiveImageCacheTests {
    struct Run {
        var contents: [String]
        var logLines: [String]
        var metrics: String
        var encoder: (calls: Int, images: Int)
        var server: VLServer
    }

    /// Sends `chatBody(images: [image])` twice in a row (same seed) to a server with a `cacheGiB` image cache.
    static func sendTwice(image: String, cacheGiB: Double) async throws -> Run {
        let weights = VisionWeights.seeded(config: VisionConfig())
        let encoder = CountingEncoder(PatchEmbeddingEncoder(embedding: try weights.patchEmbedding(), implementation: .auto))
        let lines = Locked<[String]>([])
        let logger = Logger(label: "test", minimumLevel: .info, sink: { line in lines.withLock { $0.append(line) } })
        let server = try VLServer(app: AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "m", maxModelLen: 4096,
                                                        mmProcessorCacheGiB: cacheGiB),
                                  engine: EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                                  server: testServerConfiguration(), encoder: encoder,
                                  preprocessor: ImagePreprocessor(config: .qwen25VLDefault), preprocessThreads: 1,
                                  weightsIdentity: "\(weights.source)", logger: logger)
        let port = try server.start()
        var contents: [String] = []
        do {
            for _ in 0..<2 {
                let response = try await request(port, "POST", "/v1/chat/completions",
                                                 body: chatBody(images: [image], extra: #","max_tokens":4,"seed":7"#))
                #expect(response.status == 200, "\(response.text)")
                contents.append(try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue ?? "<none>")
            }
        } catch {
            await server.shutdown(drainTimeout: .seconds(1))
            throw error
        }
        let metrics = try await request(port, "GET", "/metrics").text
        await server.shutdown(drainTimeout: .seconds(1))
        let finishLines = lines.withLock { $0 }.filter { $0.contains("finish=") }
        return Run(contents: contents, logLines: finishLines, metrics: metrics, encoder: encoder.calls.withLock { $0 },
                   server: server)
    }

    static let labels = "{model_name=\"test-vlm\",engine=\"0\"}"

    @Test(.timeLimit(.minutes(1))) func secondRequestHitsTheCache() async throws {
        let image = try jpegDataURL(width: 112, height: 84)
        let run = try await Self.sendTwice(image: image, cacheGiB: 4)
        #expect(run.logLines.count == 2)
        #expect(run.logLines.first?.contains("mm_cache=miss") == true, "\(run.logLines)")
        #expect(run.logLines.last?.contains("mm_cache=hit") == true, "\(run.logLines)")
        #expect(run.logLines.last?.contains("encode_ms=0.00") == true, "\(run.logLines)")
        // No decoding or preprocessing for the hit (its preprocess_ms phase is fetching and hashing only).
        #expect(run.logLines.first?.contains("image_decode_ms=") == true, "\(run.logLines)")
        #expect(run.logLines.last?.contains("image_decode_ms=0.00") == true, "\(run.logLines)")
        #expect(run.metrics.contains("vllm:mm_cache_queries_total\(Self.labels) 2.0"))
        #expect(run.metrics.contains("vllm:mm_cache_hits_total\(Self.labels) 1.0"))
        #expect(run.metrics.contains("vlserve:mm_cache_entries\(Self.labels) 1.0"))
        // The encoder ran once, for the first request; the engine encoded one image.
        #expect(run.encoder.calls == 1 && run.encoder.images == 1)
        #expect(run.server.engine.counters.encodedImages == 1)
        // The hit answers what the miss answered (same seed, same prompt tokens).
        #expect(run.contents.count == 2 && run.contents[0] == run.contents[1])
        // What the hit used is the encoder's output for the image's pixels.
        let pipeline = run.server.app.pipeline
        let bytes = MediaLoader.decodeBase64(image.utf8.split(separator: UInt8(ascii: ",")).last!)!
        let entry = try #require(pipeline.cache.peek(pipeline.cacheScope.key(bytes)))
        let (pixels, _) = try pipeline.preprocessor.preprocess(encoded: bytes)
        #expect(entry.pixelValues.isEmpty, "the pixels are released once the output is stored")
        #expect(entry.gridH == pixels.gridH && entry.gridW == pixels.gridW)
        let encoder = PatchEmbeddingEncoder(embedding: try VisionWeights.seeded(config: VisionConfig()).patchEmbedding(),
                                            implementation: .auto)
        let direct = try encoder.encode([EngineImage(pixelValues: pixels.pixelValues, gridT: pixels.gridT,
                                                     gridH: pixels.gridH, gridW: pixels.gridW)])
        #expect(entry.encoded?.values == direct[0].values)
    }

    @Test(.timeLimit(.minutes(1))) func disabledCacheEncodesEveryTime() async throws {
        let run = try await Self.sendTwice(image: try jpegDataURL(width: 112, height: 84), cacheGiB: 0)
        #expect(run.logLines.count == 2 && run.logLines.allSatisfy { $0.contains("mm_cache=off") }, "\(run.logLines)")
        #expect(run.metrics.contains("vllm:mm_cache_queries_total\(Self.labels) 0.0"))
        #expect(run.metrics.contains("vllm:mm_cache_hits_total\(Self.labels) 0.0"))
        #expect(run.encoder.calls == 2 && run.encoder.images == 2)
        #expect(run.contents.count == 2 && run.contents[0] == run.contents[1])
    }
}
