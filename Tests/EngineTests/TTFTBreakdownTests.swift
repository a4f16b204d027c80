import Foundation
import Observability
import Testing
@testable import Engine

/// A `VisionEncoder` that takes `seconds` of the fake clock per call.
final class SlowFakeEmbedder: VisionEncoder, @unchecked Sendable {
    let metricLabels = [("conv_impl", "fake")]
    let clock: FakeClock
    let seconds: Double
    init(clock: FakeClock, seconds: Double) { self.clock = clock; self.seconds = seconds }

    func encode(_ images: [EngineImage]) throws -> [EncodedImage] {
        clock.advance(by: seconds)
        return images.map { EncodedImage(rows: $0.patchCount, width: 4, values: Array(repeating: 0, count: $0.patchCount * 4)) }
    }
}

@Suite struct TTFTBreakdownTests {
    /// The seven server phases of the TTFT breakdown add up to `vllm:time_to_first_token_seconds`, per request
    /// and in their `_sum`s, with images, queueing behind a running batch, and a non-zero cost model.
    @Test func phasesSumToTimeToFirstToken() {
        let clock = FakeClock(start: 1000)
        let embedder = SlowFakeEmbedder(clock: clock, seconds: 0.004)
        let configuration = EngineConfiguration(maxNumSeqs: 2, costModel: CostModel(decodeStepMs: 20, perSequenceMs: 1,
                                                                                    prefillMsPer1kTokens: 30))
        let (scheduler, _, metrics) = makeInstrumentedScheduler(configuration, encoder: embedder, clock: clock)
        for i in 0..<5 {
            // r0 keeps decoding while the others are admitted, so their first step includes a decode.
            // Arrived 50 ms ago; 10 ms waiting for an image thread and 7 ms preprocessing when it has an image.
            let images = i % 2 == 0 ? [image(patches: 4, value: 1)] : []
            let request = EngineRequest(requestID: "r\(i)", promptTokenIDs: Array(repeating: 1, count: 100 * (i + 1)),
                                        images: images, sampling: SamplingParameters(maxTokens: i == 0 ? 12 : 3, ignoreEOS: true),
                                        arrivalTime: clock.now() - 0.050, preprocessSeconds: images.isEmpty ? 0 : 0.007,
                                        imageQueueSeconds: images.isEmpty ? 0 : 0.010)
            scheduler.enqueue(request, ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: { _ in })
            clock.advance(by: 0.001)
        }
        while scheduler.step() {}
        let ttft = metrics.timeToFirstToken
        #expect(ttft.count == 5)
        let phases = [metrics.receiveParseTime, metrics.imageQueueTime, metrics.imagePreprocessTime, metrics.engineQueueTime,
                      metrics.requestEncoderTime, metrics.prefillAfterEncoderTime, metrics.firstDecodeStepTime]
        let total = phases.reduce(0.0) { $0 + $1.sum }
        #expect(abs(total - ttft.sum) < 1e-9)
        // Every phase took time here, and vLLM's prefill (admission to first token) covers the last three.
        for (k, phase) in phases.enumerated() { #expect(phase.sum > 0, "phase \(k)") }
        let lastThree = metrics.requestEncoderTime.sum + metrics.prefillAfterEncoderTime.sum + metrics.firstDecodeStepTime.sum
        #expect(abs(lastThree - metrics.prefillTime.sum) < 1e-9)
        #expect(abs(metrics.receiveParseTime.sum - 5 * 0.050 + 3 * 0.017) < 1e-9)
        // Without Engine.submit the engine queue is the scheduler's waiting queue, vLLM's queue time.
        #expect(abs(metrics.engineQueueTime.sum - metrics.queueTime.sum) < 1e-9)
    }

    /// Time between `Engine.submit` and the scheduler's enqueue (the engine thread finishing a step) is
    /// engine queue, not receive-and-parse, and the phases still add up.
    @Test func waitForTheEngineThreadIsEngineQueue() {
        let clock = FakeClock(start: 1000)
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: .zero), embedder: nil, clock: clock)
        let metrics = scheduler.metrics
        var request = EngineRequest(requestID: "r", promptTokenIDs: [1, 2, 3], sampling: SamplingParameters(maxTokens: 1),
                                    arrivalTime: clock.now() - 0.010)
        request.submittedAt = clock.now() - 0.004  // parsed in 6 ms, then 4 ms until the engine thread took it
        scheduler.enqueue(request, ticket: EngineTicket(rawValue: 1), onOutput: { _ in })
        clock.advance(by: 0.002)
        while scheduler.step() {}
        #expect(abs(metrics.receiveParseTime.sum - 0.006) < 1e-9)
        #expect(abs(metrics.engineQueueTime.sum - 0.006) < 1e-9)
        #expect(abs(metrics.queueTime.sum - 0.002) < 1e-9)
        let phases = metrics.receiveParseTime.sum + metrics.engineQueueTime.sum + metrics.prefillAfterEncoderTime.sum
            + metrics.firstDecodeStepTime.sum
        #expect(abs(phases - metrics.timeToFirstToken.sum) < 1e-9)
    }
}
