import Foundation
import Observability
import Testing
@testable import Engine

/// Collects outputs delivered to one request's callback and, if asked, the OS names of the threads that delivered
/// them (as top -H shows them).
final class OutputLog: @unchecked Sendable {
    private let lock = NSLock()
    private let recordsThreadNames: Bool
    private var storage: [SequenceOutput] = []
    private var threads: Set<String> = []
    init(recordsThreadNames: Bool = false) { self.recordsThreadNames = recordsThreadNames }
    func append(_ output: SequenceOutput) {
        let thread = recordsThreadNames
            ? (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
            : nil
        lock.withLock {
            storage.append(output)
            if recordsThreadNames { threads.insert(thread ?? "unreadable") }
        }
    }
    var outputs: [SequenceOutput] { lock.withLock { storage } }
    var threadNames: Set<String> { lock.withLock { threads } }
    var text: String { outputs.map(\.text).joined() }
    var finish: EngineFinishReason? { outputs.last?.finishReason }
}

func image(patches: Int, value: Float) -> EngineImage {
    // gridT 1, gridH 2, gridW patches/2; each row [value, value].
    EngineImage(pixelValues: Array(repeating: value, count: patches * 2), gridT: 1, gridH: 2, gridW: patches / 2)
}

func makeScheduler(_ configuration: EngineConfiguration, embedder: FakeEmbedder? = FakeEmbedder(),
                   clock: FakeClock = FakeClock()) -> (Scheduler, MetricsRegistry) {
    let (scheduler, registry, _) = makeInstrumentedScheduler(configuration, encoder: embedder, clock: clock)
    return (scheduler, registry)
}

/// A scheduler on `clock` with model "m", and the registry and metrics it reports to.
func makeInstrumentedScheduler(_ configuration: EngineConfiguration, encoder: (any VisionEncoder)?,
                               clock: FakeClock) -> (Scheduler, MetricsRegistry, EngineMetrics) {
    let registry = MetricsRegistry()
    let metrics = EngineMetrics(registry: registry, modelName: "m", maxModelLen: configuration.maxModelLen,
                                encoderLabels: encoder?.metricLabels ?? [])
    return (Scheduler(configuration: configuration, metrics: metrics, encoder: encoder, clock: clock,
                      logger: .silent()), registry, metrics)
}

@Suite struct SchedulerTests {
    @Test func batchesAllAdmittedImagesIntoOneEmbeddingCall() {
        let embedder = FakeEmbedder()
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: .zero), embedder: embedder)
        let logs = (0..<3).map { _ in OutputLog() }
        for (i, log) in logs.enumerated() {
            let request = EngineRequest(requestID: "r\(i)", promptTokenIDs: Array(repeating: 1, count: 10),
                                        images: [image(patches: 4, value: Float(i)), image(patches: 8, value: Float(10 + i))],
                                        sampling: SamplingParameters(maxTokens: 3, ignoreEOS: true), arrivalTime: 1000)
            scheduler.enqueue(request, ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: log.append)
        }
        scheduler.step()
        #expect(embedder.batches.count == 1)
        #expect(embedder.batches[0].rows == 36)
        #expect(embedder.batches[0].firstValues == [0, 0, 0, 0] + Array(repeating: 10, count: 8)
            + [1, 1, 1, 1] + Array(repeating: 11, count: 8) + [2, 2, 2, 2] + Array(repeating: 12, count: 8))
        while scheduler.step() {}
        #expect(embedder.batches.count == 1)
        for log in logs {
            #expect(log.outputs.count == 3)
            #expect(log.outputs.first?.isFirst == true)
            #expect(log.finish == .length)
            #expect(log.outputs.last?.completionTokens == 3)
        }
        #expect(scheduler.counters.encodedImages == 6)
        #expect(scheduler.counters.encodedPatches == 36)
    }

    @Test func respectsMaxNumSeqsAndPatchBudget() {
        let embedder = FakeEmbedder()
        let (scheduler, _) = makeScheduler(EngineConfiguration(maxNumSeqs: 2, maxPatchesPerStep: 10, costModel: .zero),
                                           embedder: embedder)
        for i in 0..<4 {
            scheduler.enqueue(EngineRequest(requestID: "r\(i)", promptTokenIDs: [1, 2], images: [image(patches: 6, value: 1)],
                                            sampling: SamplingParameters(maxTokens: 5, ignoreEOS: true), arrivalTime: 0),
                              ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: { _ in })
        }
        scheduler.step()
        // 6 + 6 patches exceed the budget of 10: one admitted.
        #expect(scheduler.runningCount == 1)
        scheduler.step()
        #expect(scheduler.runningCount == 2)
        scheduler.step()
        #expect(scheduler.runningCount == 2)
        #expect(scheduler.waitingCount == 2)
    }

    /// `--max-num-batched-tokens`: a step admits waiting prompts while the admitted prompt tokens plus one token per
    /// decoding sequence fit the budget; the rest wait for a later step. A first candidate is always admitted.
    @Test func respectsMaxNumBatchedTokens() {
        let (scheduler, registry) = makeScheduler(EngineConfiguration(maxNumBatchedTokens: 100, costModel: .zero),
                                                  embedder: nil)
        func enqueue(_ i: Int, promptTokens: Int) {
            scheduler.enqueue(EngineRequest(requestID: "r\(i)", promptTokenIDs: Array(repeating: 1, count: promptTokens),
                                            sampling: SamplingParameters(maxTokens: 50, ignoreEOS: true), arrivalTime: 0),
                              ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: { _ in })
        }
        for i in 0..<3 { enqueue(i, promptTokens: 40) }
        enqueue(3, promptTokens: 19)
        scheduler.step()
        // 40 + 40 fit; the third 40 would make 120 > 100 and waits (so does the 19 behind it: admission is FIFO).
        #expect(scheduler.runningCount == 2)
        #expect(scheduler.waitingCount == 2)
        #expect(registry.render().contains("vllm:prompt_tokens_total{model_name=\"m\",engine=\"0\"} 80.0"))
        scheduler.step()
        // 2 decoding + 40 + 19 = 61 fit.
        #expect(scheduler.runningCount == 4)
        #expect(scheduler.waitingCount == 0)
        enqueue(4, promptTokens: 50)
        enqueue(5, promptTokens: 47)
        scheduler.step()
        // 4 decoding + 50 + 47 = 101 > 100: only the first is admitted.
        #expect(scheduler.runningCount == 5)
        #expect(scheduler.waitingCount == 1)
        scheduler.step()
        #expect(scheduler.runningCount == 6)
        // A prompt larger than the whole budget is admitted alone rather than left waiting for ever.
        enqueue(6, promptTokens: 150)
        scheduler.step()
        #expect(scheduler.runningCount == 7)
        #expect(scheduler.waitingCount == 0)
    }

    @Test func costModelSleepsPerStep() {
        let clock = FakeClock()
        let cost = CostModel(decodeStepMs: 20, perSequenceMs: 1, prefillMsPer1kTokens: 30)
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: cost), embedder: nil, clock: clock)
        for i in 0..<2 {
            scheduler.enqueue(EngineRequest(requestID: "r\(i)", promptTokenIDs: Array(repeating: 1, count: 500),
                                            sampling: SamplingParameters(maxTokens: 3, ignoreEOS: true), arrivalTime: clock.now()),
                              ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: { _ in })
        }
        scheduler.step()  // prefill 1000 tokens, nothing decoding yet
        scheduler.step()  // decode 2 sequences
        let sleeps = clock.sleeps
        #expect(sleeps.count == 2)
        #expect(abs(sleeps[0] - 0.030) < 1e-9)
        #expect(abs(sleeps[1] - 0.022) < 1e-9)
        let (zero, _) = makeScheduler(EngineConfiguration(costModel: .zero), embedder: nil, clock: clock)
        zero.enqueue(EngineRequest(requestID: "z", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 2), arrivalTime: 0),
                     ticket: EngineTicket(rawValue: 9), onOutput: { _ in })
        while zero.step() {}
        #expect(clock.sleeps.count == 2)
    }

    @Test func abortFreesWaitingAndRunningRequests() {
        let (scheduler, registry) = makeScheduler(EngineConfiguration(maxNumSeqs: 1, costModel: .zero))
        let first = OutputLog(), second = OutputLog()
        scheduler.enqueue(EngineRequest(requestID: "a", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 100, ignoreEOS: true),
                                        arrivalTime: 0), ticket: EngineTicket(rawValue: 1), onOutput: first.append)
        scheduler.enqueue(EngineRequest(requestID: "b", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 100, ignoreEOS: true),
                                        arrivalTime: 0), ticket: EngineTicket(rawValue: 2), onOutput: second.append)
        scheduler.step()
        #expect(scheduler.runningCount == 1 && scheduler.waitingCount == 1)
        #expect(scheduler.abort([EngineTicket(rawValue: 1), EngineTicket(rawValue: 2)]) == 2)
        #expect(!scheduler.hasWork)
        #expect(first.finish == .abort && second.finish == .abort)
        #expect(scheduler.counters.aborted == 2)
        #expect(registry.render().contains("vllm:request_success_total{model_name=\"m\",engine=\"0\",finished_reason=\"abort\"} 2.0"))
        #expect(registry.render().contains("vllm:num_requests_running{model_name=\"m\",engine=\"0\"} 0.0"))
    }

    @Test func embeddingFailureFailsOnlyImageRequests() {
        let embedder = FakeEmbedder()
        embedder.failing = true
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: .zero), embedder: embedder)
        let withImage = OutputLog(), textOnly = OutputLog()
        scheduler.enqueue(EngineRequest(requestID: "i", promptTokenIDs: [1], images: [image(patches: 4, value: 0)],
                                        sampling: SamplingParameters(maxTokens: 2), arrivalTime: 0),
                          ticket: EngineTicket(rawValue: 1), onOutput: withImage.append)
        scheduler.enqueue(EngineRequest(requestID: "t", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 2, ignoreEOS: true),
                                        arrivalTime: 0), ticket: EngineTicket(rawValue: 2), onOutput: textOnly.append)
        while scheduler.step() {}
        #expect(withImage.finish == .error)
        #expect(withImage.outputs.last?.errorMessage?.contains("vision encoder failed") == true)
        #expect(textOnly.finish == .length)
    }

    /// A finished request's callback (in the server: its session, responder and connection) is
    /// released when it finishes, not kept by the scheduler's queues.
    @Test func finishedRequestsReleaseTheirCallbacks() {
        let (scheduler, _) = makeScheduler(EngineConfiguration(maxNumSeqs: 1, costModel: .zero))
        weak var firstLog: OutputLog?
        weak var secondLog: OutputLog?
        do {
            let first = OutputLog(), second = OutputLog()
            firstLog = first
            secondLog = second
            for (i, log) in [first, second].enumerated() {
                scheduler.enqueue(EngineRequest(requestID: "r\(i)", promptTokenIDs: [1],
                                                sampling: SamplingParameters(maxTokens: 2, ignoreEOS: true), arrivalTime: 0),
                                  ticket: EngineTicket(rawValue: UInt64(i + 1)), onOutput: log.append)
            }
        }
        scheduler.step()
        scheduler.step()   // the first finishes; the second is still waiting (max_num_seqs 1)
        #expect(firstLog == nil)
        #expect(secondLog != nil)
        while scheduler.step() {}
        #expect(secondLog == nil)
    }
}

@Suite struct EngineThreadTests {
    @Test func runsRequestsOnItsThreadAndRejectsPastTheQueueBound() async throws {
        let registry = MetricsRegistry()
        let configuration = EngineConfiguration(maxNumSeqs: 4, maxWaitingRequests: 8, costModel: .zero)
        let metrics = EngineMetrics(registry: registry, modelName: "m", maxModelLen: 1024, encoderLabels: [("conv_impl", "fake")])
        let engine = Engine(configuration: configuration, metrics: metrics, encoder: FakeEmbedder(), logger: .silent())
        // Not started yet: everything waits in the inbox, so the bound is exact.
        let logs = (0..<8).map { _ in OutputLog(recordsThreadNames: true) }
        for (i, log) in logs.enumerated() {
            _ = try engine.submit(EngineRequest(requestID: "r\(i)", promptTokenIDs: [1, 2, 3],
                                                sampling: SamplingParameters(maxTokens: 16, ignoreEOS: true),
                                                arrivalTime: engine.now()), onOutput: log.append)
        }
        #expect(throws: EngineError.queueFull(limit: 8)) {
            try engine.submit(EngineRequest(requestID: "x", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 1),
                                            arrivalTime: 0), onOutput: { _ in })
        }
        engine.start()
        await engine.waitUntil { $0.finished == 8 }
        for log in logs {
            #expect(log.finish == .length && log.outputs.count == 16)
            #expect(log.threadNames == ["vlserve-engine"])
        }
        #expect(engine.counters.rejected == 1)
        #expect(registry.render().contains("vlserve:requests_rejected_total{model_name=\"m\",engine=\"0\",reason=\"queue_full\"} 1.0"))
        engine.shutdown()
        #expect(throws: EngineError.shuttingDown) {
            try engine.submit(EngineRequest(requestID: "y", promptTokenIDs: [1], sampling: SamplingParameters(maxTokens: 1),
                                            arrivalTime: 0), onOutput: { _ in })
        }
    }

    @Test func abortReachesARunningRequest() async throws {
        let registry = MetricsRegistry()
        let metrics = EngineMetrics(registry: registry, modelName: "m", maxModelLen: 1024, encoderLabels: [("conv_impl", "fake")])
        // 1 ms per step so the request is still running when the abort arrives.
        let engine = Engine(configuration: EngineConfiguration(costModel: CostModel(decodeStepMs: 1, perSequenceMs: 0, prefillMsPer1kTokens: 0)),
                            metrics: metrics, encoder: nil, logger: .silent())
        engine.start()
        let log = OutputLog()
        let ticket = try engine.submit(EngineRequest(requestID: "long", promptTokenIDs: [1],
                                                     sampling: SamplingParameters(maxTokens: 1_000_000, ignoreEOS: true),
                                                     arrivalTime: engine.now()), onOutput: log.append)
        await engine.waitUntil { $0.generatedTokens >= 3 }
        engine.abort(ticket)
        await engine.waitUntil { $0.aborted == 1 }
        #expect(log.finish == .abort)
        #expect(engine.counters.running == 0)
        engine.shutdown()
    }

    @Test func shutdownAbortsWhatIsLeft() async throws {
        let metrics = EngineMetrics(registry: MetricsRegistry(), modelName: "m", maxModelLen: 1024, encoderLabels: [("conv_impl", "fake")])
        let engine = Engine(configuration: EngineConfiguration(costModel: CostModel(decodeStepMs: 1, perSequenceMs: 0, prefillMsPer1kTokens: 0)),
                            metrics: metrics, encoder: nil, logger: .silent())
        engine.start()
        let log = OutputLog()
        _ = try engine.submit(EngineRequest(requestID: "long", promptTokenIDs: [1],
                                            sampling: SamplingParameters(maxTokens: 1_000_000, ignoreEOS: true),
                                            arrivalTime: engine.now()), onOutput: log.append)
        await engine.waitUntil { $0.generatedTokens >= 1 }
        engine.shutdown()
        #expect(log.finish == .abort)
    }
}
