import Foundation
import Observability

/// The engine's single-threaded core: waiting and running queues, admission under the
/// `maxNumSeqs` / token / patch budgets, the batched patch embedding, the simulated prefill and
/// decode, stop handling and per-request accounting. Owned by one thread (`Engine`'s, or a test's);
/// nothing in it is thread-safe. Mirrors the shape of vLLM V1's `Scheduler.schedule()` + `EngineCore.step()`
/// without chunked prefill: running sequences get their next KV-cache slot first, preempting the newest
/// running sequence when the simulated cache (`KVCacheBudget`) is full; then waiting requests are admitted
/// in FIFO order while the sequence, token, patch and KV-cache budgets allow. A preempted sequence goes
/// back to the front of the waiting queue and is prefilled again (prompt plus the tokens it had
/// generated; its images are not encoded again) when readmitted, as vLLM V1's recompute preemption.
public final class Scheduler {
    public let configuration: EngineConfiguration
    public let metrics: EngineMetrics
    let clock: any EngineClock
    let encoder: (any VisionEncoder)?
    let logger: Logger
    let decoder: StubDecoder

    /// FIFO of sequences not yet admitted. Admitted ones leave it in the same step, so a finished
    /// request (its callback, session and connection) is never kept alive by the queue.
    private var waiting: [Sequence] = []
    private var running: [Sequence] = []
    public private(set) var counters = EngineCounters()
    /// The simulated KV cache (`vllm:kv_cache_usage_perc`).
    public private(set) var kvCache: KVCacheBudget
    /// When the current step's simulated prefill ended (a boundary of the TTFT breakdown).
    private var stepPrefillEnd = 0.0

    public init(configuration: EngineConfiguration, metrics: EngineMetrics, encoder: (any VisionEncoder)?,
                clock: any EngineClock, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.encoder = encoder
        self.clock = clock
        self.logger = logger
        decoder = StubDecoder(eosInterval: configuration.eosInterval, tokenizer: configuration.tokenizer)
        kvCache = KVCacheBudget(blockSize: configuration.blockSize, totalBlocks: configuration.kvCacheBlocks)
    }

    public var waitingCount: Int { waiting.count }
    public var runningCount: Int { running.count }
    public var hasWork: Bool { waitingCount > 0 || !running.isEmpty }

    /// Appends a request to the waiting queue (no bound here: `Engine.submit` enforces it).
    public func enqueue(_ request: EngineRequest, ticket: EngineTicket,
                        onOutput: @escaping @Sendable (SequenceOutput) -> Void) {
        let generator = decoder.makeSequence(parameters: request.sampling,
                                             defaultSeed: ticket.rawValue &* 0x9E37_79B9_7F4A_7C15)
        waiting.append(Sequence(ticket: ticket, request: request, generator: generator,
                                enqueuedAt: clock.now(), onOutput: onOutput))
        counters.submitted += 1
        publishQueueGauges()
    }

    /// Removes the requests with these tickets wherever they are, reporting `.abort` to each.
    /// Returns how many were found.
    @discardableResult
    public func abort(_ tickets: Set<EngineTicket>, reason: EngineFinishReason = .abort) -> Int {
        guard !tickets.isEmpty else { return 0 }
        var found = 0
        let now = clock.now()
        var keptWaiting: [Sequence] = []
        for sequence in waiting {
            if tickets.contains(sequence.ticket) {
                finish(sequence, reason: reason, stop: nil, text: "", token: nil, now: now, error: nil)
                found += 1
            } else {
                keptWaiting.append(sequence)
            }
        }
        waiting = keptWaiting
        running.removeAll { sequence in
            guard tickets.contains(sequence.ticket) else { return false }
            finish(sequence, reason: reason, stop: nil, text: "", token: nil, now: now, error: nil)
            found += 1
            return true
        }
        publishQueueGauges()
        return found
    }

    /// Aborts everything (shutdown).
    public func abortAll() {
        var all = Set(running.map(\.ticket))
        for sequence in waiting { all.insert(sequence.ticket) }
        abort(all)
    }

    /// One engine step: admit, encode images in one batch, simulate prefill + decode, emit one
    /// token per sequence. Returns false when there was nothing to do.
    @discardableResult
    public func step() -> Bool {
        guard hasWork else { return false }
        let stepStart = clock.now()
        counters.steps += 1

        // 1. Every running sequence gets the KV slot of its next token, preempting the newest ones if needed.
        reserveDecodeSlots()

        // 2. Admission, FIFO, while the budgets allow.
        var admitted: [Sequence] = []
        var batchTokens = running.count
        var batchPatches = 0
        var taken = 0
        while taken < waiting.count, running.count + admitted.count < configuration.maxNumSeqs {
            let candidate = waiting[taken]
            if !admitted.isEmpty,
               batchTokens + candidate.contextTokens > configuration.maxNumBatchedTokens
                || batchPatches + candidate.pendingPatches > configuration.maxPatchesPerStep {
                break
            }
            let blocks = kvCache.blocks(forTokens: candidate.contextTokens + 1)
            if !kvCache.allocate(blocks) {
                guard admitted.isEmpty, running.isEmpty else { break }
                // Larger than the whole cache (only if --max-model-len exceeds it): it can never run.
                waiting.remove(at: taken)
                finish(candidate, reason: .error, stop: nil, text: "", token: nil, now: stepStart,
                       error: "the request needs \(blocks) KV-cache blocks; the cache has \(kvCache.totalBlocks)")
                continue
            }
            candidate.heldBlocks = blocks
            taken += 1
            batchTokens += candidate.contextTokens
            batchPatches += candidate.pendingPatches
            admitted.append(candidate)
        }
        // One memmove of `waiting.count` pointers per admitting step: cheap next to a step.
        if taken > 0 { waiting.removeFirst(taken) }
        let prefillTokens = admitted.reduce(0) { $0 + $1.contextTokens }
        var newPromptTokens = 0
        for sequence in admitted where sequence.preemptions == 0 {
            counters.admitted += 1
            sequence.admittedAt = stepStart
            newPromptTokens += sequence.promptTokens
            metrics.queueTime.observe(stepStart - sequence.enqueuedAt)
            if sequence.imageCount > 0 {
                metrics.imagePreprocessTime.observe(sequence.request.preprocessSeconds)
                metrics.imageQueueTime.observe(sequence.request.imageQueueSeconds)
            }
        }

        // 3. One batched encoder call over every admitted image that came without its output.
        if admitted.contains(where: { !$0.images.isEmpty }) { admitted = encodeImages(admitted, patches: batchPatches) }

        // 4. Simulated accelerator time for prefill of the admitted and one decode of the running.
        //    Two sleeps, so that the end of the prefill is a measured boundary of the TTFT breakdown.
        let prefillSimulated = configuration.costModel.prefillSeconds(tokens: prefillTokens)
        let decodeSimulated = configuration.costModel.decodeSeconds(sequences: running.count)
        if prefillSimulated > 0 { clock.sleep(seconds: prefillSimulated) }
        stepPrefillEnd = clock.now()
        if decodeSimulated > 0 { clock.sleep(seconds: decodeSimulated) }
        let now = clock.now()
        metrics.iterationTokens.observe(Double(prefillTokens + running.count))
        metrics.promptTokens.increment(by: Double(newPromptTokens))

        // 5. Sample one token for every sequence and hand it to its stream.
        metrics.generationTokens.increment(by: Double(running.count + admitted.count))
        var stillRunning: [Sequence] = []
        stillRunning.reserveCapacity(running.count + admitted.count)
        for sequence in running where emitToken(sequence, now: now, isFirst: false) {
            stillRunning.append(sequence)
        }
        for sequence in admitted {
            sequence.embeddings = []  // the prefill consumed them
        }
        for sequence in admitted where emitToken(sequence, now: now, isFirst: sequence.firstTokenAt == 0) {
            stillRunning.append(sequence)
        }
        running = stillRunning
        publishQueueGauges()
        return true
    }

    /// Gives every running sequence the KV-cache slot of the token it generates this step. When the cache
    /// is full, the newest running sequence is preempted (vLLM V1: `self.running.pop()`), its blocks freed,
    /// and it goes back to the front of the waiting queue; a sequence may preempt itself.
    private func reserveDecodeSlots() {
        var preempted: [Sequence] = []
        var index = 0
        while index < running.count {
            let sequence = running[index]
            let needed = kvCache.blocks(forTokens: sequence.contextTokens + 1) - sequence.heldBlocks
            if needed <= 0 || kvCache.allocate(needed) {
                sequence.heldBlocks += max(0, needed)
                index += 1
                continue
            }
            let victim = running.removeLast()
            kvCache.free(victim.heldBlocks)
            victim.heldBlocks = 0
            victim.preemptions += 1
            counters.preemptions += 1
            metrics.preemptions.increment()
            preempted.append(victim)
        }
        // Each victim is prepended in turn, so the oldest of them ends up first.
        if !preempted.isEmpty { waiting.insert(contentsOf: preempted.reversed(), at: 0) }
    }

    /// Runs one encoder call over every admitted image that has no encoder output yet (in admission order) and
    /// hands each new output to its image's `onEncoded`; images that came with their output (image-cache hits) are
    /// not encoded, and a sequence with only those records 0 encoder seconds. Returns the sequences that did not
    /// fail. Pixels are released as soon as the call returns.
    private func encodeImages(_ admitted: [Sequence], patches: Int) -> [Sequence] {
        let encoding = Set(admitted.filter { !$0.images.isEmpty }.map(\.ticket))
        guard let encoder else {
            for sequence in admitted { sequence.images = [] }
            return admitted
        }
        var images: [EngineImage] = []
        var sequenceImages: [[EngineImage]] = []  // per encoding sequence, in order
        for sequence in admitted where encoding.contains(sequence.ticket) {
            sequenceImages.append(sequence.images)
            images.append(contentsOf: sequence.images.filter { $0.encoded == nil })
            sequence.images = []  // the batch holds the only reference now
        }
        let imageCount = images.count
        let expectedRows = images.map { encoder.outputRows(for: $0) }
        let start = clock.now()
        var failure: String?
        var outputs: [EncodedImage] = []
        if !images.isEmpty {
            do {
                outputs = try encoder.encode(images)
                if outputs.map(\.rows) != expectedRows {
                    failure = "the vision encoder returned \(outputs.map(\.rows)) rows for images of \(expectedRows) patches"
                }
            } catch {
                failure = "the vision encoder failed: \(error)"
            }
            images = []
        }
        let seconds = imageCount > 0 ? clock.now() - start : 0
        var next = 0
        var perSequence = 0
        var survivors: [Sequence] = []
        for sequence in admitted {
            guard encoding.contains(sequence.ticket) else { survivors.append(sequence); continue }
            let own = sequenceImages[perSequence]
            perSequence += 1
            let encodesAny = own.contains { $0.encoded == nil }
            var error = encodesAny ? failure : nil
            var embeddings: [EncodedImage] = []
            for image in own {
                if let cached = image.encoded {
                    if cached.rows != encoder.outputRows(for: image) {
                        error = error ?? "a cached encoder output has \(cached.rows) rows, the encoder gives \(encoder.outputRows(for: image))"
                    }
                    embeddings.append(cached)
                } else if failure == nil {
                    image.onEncoded?(outputs[next])
                    embeddings.append(outputs[next])
                    next += 1
                }
            }
            sequence.encodeSeconds = encodesAny ? seconds : 0
            metrics.requestEncoderTime.observe(sequence.encodeSeconds)
            if let error {
                logger.error("vision encoder failed", [LogField("request_id", sequence.request.requestID),
                                                       LogField("error", error)])
                finish(sequence, reason: .error, stop: nil, text: "", token: nil, now: clock.now(), error: error)
            } else {
                sequence.embeddings = embeddings
                survivors.append(sequence)
            }
        }
        outputs = []
        if imageCount > 0 {
            counters.encoderBatches += 1
            counters.encodedImages += imageCount
            counters.encodedPatches += patches
            metrics.encoderBatchTime.observe(seconds)
            metrics.encoderBatchPatches.observe(Double(patches))
            metrics.encodedImages.increment(by: Double(imageCount))
            metrics.encodedPatches.increment(by: Double(patches))
        }
        return survivors
    }

    /// Generates and delivers one token; returns true while the sequence keeps running.
    private func emitToken(_ sequence: Sequence, now: Double, isFirst: Bool) -> Bool {
        let step = sequence.generator.step()
        counters.generatedTokens += 1
        if isFirst {
            sequence.firstTokenAt = now
            metrics.timeToFirstToken.observe(now - sequence.request.arrivalTime)
            metrics.prefillTime.observe(now - sequence.admittedAt)
            observeTTFTBreakdown(sequence, firstTokenAt: now)
        } else {
            metrics.interTokenLatency.observe(now - sequence.lastTokenAt)
        }
        sequence.lastTokenAt = now
        if let reason = step.finishReason {
            finish(sequence, reason: reason, stop: step.stopReason, text: step.text, token: step.tokenID,
                   now: now, error: nil, isFirst: isFirst)
            return false
        }
        sequence.onOutput(SequenceOutput(text: step.text, tokenID: step.tokenID, isFirst: isFirst,
                                         finishReason: nil, stopReason: nil, promptTokens: sequence.promptTokens,
                                         completionTokens: sequence.generator.tokenCount))
        return true
    }

    /// The phases that are not observed elsewhere, so that, per request, receive-and-parse + image queue +
    /// preprocessing + engine queue + encoder + prefill after the encoder + first decode step equals
    /// `firstTokenAt - arrivalTime` (the server's TTFT) exactly.
    private func observeTTFTBreakdown(_ sequence: Sequence, firstTokenAt: Double) {
        let request = sequence.request
        let submitted = request.submittedAt > 0 ? request.submittedAt : sequence.enqueuedAt
        metrics.receiveParseTime.observe(submitted - request.arrivalTime - request.imageQueueSeconds
                                         - request.preprocessSeconds)
        metrics.engineQueueTime.observe(sequence.admittedAt - submitted)
        metrics.prefillAfterEncoderTime.observe(stepPrefillEnd - sequence.admittedAt - sequence.encodeSeconds)
        metrics.firstDecodeStepTime.observe(firstTokenAt - stepPrefillEnd)
    }

    /// Final accounting, the structured log line, and the final output.
    private func finish(_ sequence: Sequence, reason: EngineFinishReason, stop: EngineStopReason?, text: String,
                        token: Int32?, now: Double, error: String?, isFirst: Bool = false) {
        sequence.images = []
        sequence.embeddings = []
        kvCache.free(sequence.heldBlocks)
        sequence.heldBlocks = 0
        let completion = sequence.generator.tokenCount
        switch reason {
        case .stop: counters.finishedStop += 1
        case .length: counters.finishedLength += 1
        case .abort: counters.aborted += 1
        case .error: counters.failed += 1
        }
        metrics.recordFinish(reason)
        let started = sequence.admittedAt > 0
        let generated = sequence.firstTokenAt > 0
        let queued = (started ? sequence.admittedAt : now) - sequence.enqueuedAt
        let prefill = generated ? sequence.firstTokenAt - sequence.admittedAt - sequence.encodeSeconds : 0
        let decode = generated ? now - sequence.firstTokenAt : 0
        if reason == .stop || reason == .length {
            metrics.e2eLatency.observe(now - sequence.request.arrivalTime)
            metrics.inferenceTime.observe(now - sequence.admittedAt)
            metrics.decodeTime.observe(decode)
            metrics.requestPromptTokens.observe(Double(sequence.promptTokens))
            metrics.requestGenerationTokens.observe(Double(completion))
            metrics.requestParamsN.observe(1)
            if let maxTokens = sequence.request.requestedMaxTokens {
                metrics.requestMaxTokensParam.observe(Double(maxTokens))
            }
            if completion > 1 { metrics.timePerOutputToken.observe(decode / Double(completion - 1)) }
        }
        if logger.isEnabled(.info) {
            func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
            logger.info("", [
                LogField("request_id", sequence.request.requestID), LogField("finish", reason.rawValue),
                LogField("prompt_tokens", sequence.promptTokens), LogField("completion_tokens", completion),
                LogField("images", sequence.imageCount), LogField("patches", sequence.patchCount),
                LogField("image_queue_ms", ms(sequence.request.imageQueueSeconds)),
                LogField("preprocess_ms", ms(sequence.request.preprocessSeconds)), LogField("queued_ms", ms(queued)),
                LogField("encode_ms", ms(sequence.encodeSeconds)), LogField("prefill_ms", ms(prefill)),
                LogField("decode_ms", ms(decode)), LogField("e2e_ms", ms(now - sequence.request.arrivalTime)),
                LogField("encode_share", String(format: "%.3f", now > sequence.request.arrivalTime
                    ? sequence.encodeSeconds / (now - sequence.request.arrivalTime) : 0)),
            ] + sequence.request.logFields)
        }
        sequence.onOutput(SequenceOutput(text: text, tokenID: token, isFirst: isFirst, finishReason: reason,
                                         stopReason: stop, promptTokens: sequence.promptTokens,
                                         completionTokens: completion, errorMessage: error))
    }

    private func publishQueueGauges() {
        counters.running = running.count
        counters.waiting = waitingCount
        metrics.running.set(Double(running.count))
        metrics.waiting.set(Double(waitingCount))
        metrics.kvCacheUsage.set(kvCache.usage)
    }
}
