import Foundation
import Observability
import Testing
@testable import Engine

/// Images that arrive with their encoder output (the server's image cache) are not encoded again, count no
/// patches and 0 encoder seconds, and the TTFT phases still add up; new outputs go to `onEncoded`.
@Suite struct CachedImageTests {
    final class Received: @unchecked Sendable {
        let lock = NSLock()
        var outputs: [EncodedImage] = []
        func add(_ output: EncodedImage) { lock.withLock { outputs.append(output) } }
    }

    static func cached(patches: Int) -> EngineImage {
        EngineImage(pixelValues: [], gridT: 1, gridH: 2, gridW: patches / 2,
                    encoded: EncodedImage(rows: patches, width: 4, values: Array(repeating: 7, count: patches * 4)))
    }

    @Test func cachedImagesSkipTheEncoder() {
        let clock = FakeClock(start: 1000)
        let embedder = SlowFakeEmbedder(clock: clock, seconds: 0.004)
        let configuration = EngineConfiguration(maxNumSeqs: 1, costModel: CostModel(decodeStepMs: 20, perSequenceMs: 1,
                                                                                    prefillMsPer1kTokens: 30))
        let (scheduler, _, metrics) = makeInstrumentedScheduler(configuration, encoder: embedder, clock: clock)
        let received = Received()
        var miss = image(patches: 4, value: 1)
        miss.onEncoded = { received.add($0) }
        // r0: a miss; r1: a hit; r2: one of each. One at a time (maxNumSeqs 1), so each step encodes one request.
        let requests: [[EngineImage]] = [[miss], [Self.cached(patches: 8)], [Self.cached(patches: 8), miss]]
        for (i, images) in requests.enumerated() {
            let request = EngineRequest(requestID: "r\(i)", promptTokenIDs: Array(repeating: 1, count: 100), images: images,
                                        sampling: SamplingParameters(maxTokens: 2, ignoreEOS: true),
                                        arrivalTime: clock.now() - 0.050, preprocessSeconds: 0.007, imageQueueSeconds: 0.010)
            scheduler.enqueue(request, ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: { _ in })
        }
        while scheduler.step() {}
        #expect(scheduler.counters.finishedLength == 3 && scheduler.counters.failed == 0)
        // Two encoder calls of one 4-patch image each; the 8-patch cached images were never encoded.
        #expect(scheduler.counters.encoderBatches == 2)
        #expect(scheduler.counters.encodedImages == 2 && scheduler.counters.encodedPatches == 8)
        #expect(received.outputs.count == 2 && received.outputs.allSatisfy { $0.rows == 4 })
        // Every image request observes its encoder time: 4 ms, 0 (the hit), 4 ms.
        #expect(metrics.requestEncoderTime.count == 3)
        #expect(abs(metrics.requestEncoderTime.sum - 0.008) < 1e-9)
        let phases = [metrics.receiveParseTime, metrics.imageQueueTime, metrics.imagePreprocessTime, metrics.engineQueueTime,
                      metrics.requestEncoderTime, metrics.prefillAfterEncoderTime, metrics.firstDecodeStepTime]
        #expect(abs(phases.reduce(0.0) { $0 + $1.sum } - metrics.timeToFirstToken.sum) < 1e-9)
    }

    /// A cached output whose rows do not fit the encoder fails its request only.
    @Test func mismatchedCachedOutputFailsItsRequest() {
        let embedder = FakeEmbedder()
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: .zero), embedder: embedder)
        var wrong = Self.cached(patches: 8)
        wrong.gridW = 2  // 4 patches, 8 rows
        let logs = [OutputLog(), OutputLog()]
        for (i, images) in [[wrong], [image(patches: 4, value: 1)]].enumerated() {
            let request = EngineRequest(requestID: "r\(i)", promptTokenIDs: [1, 2, 3], images: images,
                                        sampling: SamplingParameters(maxTokens: 2, ignoreEOS: true), arrivalTime: 0)
            scheduler.enqueue(request, ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: logs[i].append)
        }
        while scheduler.step() {}
        #expect(logs[0].finish == .error && logs[1].finish == .length)
        #expect(embedder.batches.count == 1 && embedder.batches[0].rows == 4)
    }
}
