import Engine
import Foundation
import NetIO
import OpenAIAPI
import Synchronization

/// One generation request's connection to its client. The engine thread only hands outputs over
/// (`deliver`); encoding them as vLLM-shaped SSE chunks or, at the end, one JSON body, and writing
/// them, happen on the connection's event loop (`drain`).
///
/// Hand-over: `deliver` appends the output to an inbox under a short lock and, if no drain is queued,
/// queues one on the loop. A drain takes everything in the inbox (outputs in engine order: one
/// engine thread appends, at most one drain is queued at a time and the loop runs tasks in order),
/// encodes it into one buffer and makes one `write`, so a loop that falls behind the engine sends
/// several steps' chunks in one chunk. Non-streaming requests queue a drain only for their final
/// output; the text of the earlier ones is gathered, as UTF-8, under the same lock.
///
/// The HTTP status is sent lazily with the first output, so an engine failure before any token is
/// still an HTTP error; after that, errors are one `data: {"error": ...}` event, then `[DONE]`.
/// A client disconnect (`cancel()`) aborts the engine request, wherever it is. Back-pressure is the
/// transport's: a client that stops reading is closed once `maxWriteBufferSize` bytes are queued
/// (then `cancel()` runs and the engine stops producing for it).
final class RequestSession: @unchecked Sendable {
    enum Kind { case chat, completion }

    let kind: Kind
    let stream: Bool
    let responder: HTTPResponder
    let engine: Engine
    let id: String
    let model: String
    let created: Int
    let streamOptions: StreamOptions
    let retryAfterSeconds: Int
    /// The app's count of sessions alive (incremented here, decremented in `deinit`).
    private let liveCount: LiveCounter?

    /// State shared by the engine thread, the loop and whoever calls `cancel`/`attach`/`fail`.
    private struct Shared {
        /// Outputs not yet taken by a drain, in engine order.
        var inbox: [SequenceOutput] = []
        /// Non-streaming: the UTF-8 text of the outputs so far (bytes: appending a token's text to an array
        /// costs a third of appending it to a `String`).
        var text: [UInt8] = []
        var drainQueued = false
        /// The final output was handed over, or the request failed before submission.
        var completed = false
        var cancelled = false
        var ticket: EngineTicket?
        /// Prepended to the output (completions with `echo`); set before submission.
        var echoPrefix = ""
    }

    /// An `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`, whose lock ThreadSanitizer does not see
    /// (it reported races between accesses made under it).
    private let lock = NSLock()
    private var shared = Shared()
    /// Loop-thread state (the encoders, whether the status line went out, a spare inbox buffer).
    private let onLoop: LoopState

    init(kind: Kind, stream: Bool, responder: HTTPResponder, engine: Engine, id: String, model: String, created: Int,
         streamOptions: StreamOptions, retryAfterSeconds: Int, liveCount: LiveCounter? = nil) {
        self.liveCount = liveCount
        liveCount?.value.add(1, ordering: .relaxed)
        self.kind = kind
        self.stream = stream
        self.responder = responder
        self.engine = engine
        self.id = id
        self.model = model
        self.created = created
        self.streamOptions = streamOptions
        self.retryAfterSeconds = retryAfterSeconds
        onLoop = LoopState()
    }

    deinit { liveCount?.value.subtract(1, ordering: .relaxed) }

    private func withShared<T>(_ body: (inout Shared) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&shared)
    }

    /// Prepended to the output (completions with `echo`). Set it before submitting to the engine.
    var echoPrefix: String {
        get { withShared { $0.echoPrefix } }
        set { withShared { $0.echoPrefix = newValue } }
    }

    /// True once the client went away (then nothing more should be done for this request).
    var isCancelled: Bool { withShared { $0.cancelled } }

    /// Client disconnect: aborts the engine request if it was submitted.
    func cancel() {
        let toAbort: EngineTicket? = withShared {
            $0.cancelled = true
            $0.inbox = []
            return $0.completed ? nil : $0.ticket
        }
        if let toAbort { engine.abort(toAbort) }
    }

    /// Records the engine ticket; aborts at once if the client left meanwhile.
    func attach(_ ticket: EngineTicket) {
        let abortNow: Bool = withShared {
            $0.ticket = ticket
            return $0.cancelled && !$0.completed
        }
        if abortNow { engine.abort(ticket) }
    }

    /// Fails the request before it reached the engine (validation or image errors found off the loop).
    func fail(_ error: APIError) {
        let send: Bool = withShared {
            guard !$0.completed else { return false }
            $0.completed = true
            return true
        }
        if send { responder.sendError(error, retryAfterSeconds: retryAfterSeconds) }
    }

    /// Takes one engine output. Runs on the engine thread: no encoding, no I/O, one short lock.
    func deliver(_ output: SequenceOutput) {
        let queueDrain: Bool = withShared {
            guard !$0.completed else { return false }
            if output.isFinished { $0.completed = true }
            if $0.cancelled { return false }
            if !stream && !output.isFinished {
                $0.text.append(contentsOf: output.text.utf8)
                return false
            }
            $0.inbox.append(output)
            if $0.drainQueued { return false }
            $0.drainQueued = true
            return true
        }
        if queueDrain { responder.eventLoop.execute { self.drain() } }
    }

    // MARK: - Loop side

    /// Encodes and writes what the engine handed over. Loop thread only.
    private func drain() {
        let state = onLoop
        var text: [UInt8] = []
        let echo: String = withShared {
            swap(&$0.inbox, &state.spare)
            $0.drainQueued = false
            if !stream { swap(&text, &$0.text) }
            return $0.echoPrefix
        }
        defer { state.spare.removeAll(keepingCapacity: true) }
        if responder.isClosed { return }
        if !stream {
            if let output = state.spare.last {
                if !echo.isEmpty { text.insert(contentsOf: echo.utf8, at: 0) }
                text.append(contentsOf: output.text.utf8)
                sendWhole(output, text: text)
            }
            return
        }
        var out: [UInt8] = []
        out.reserveCapacity(state.spare.count * 320)
        for output in state.spare {
            if let error = Self.engineError(output) {
                endStream(with: error, pending: &out)
                return
            }
            if !state.started {
                state.started = true
                responder.startStream(status: 200, headers: HTTPResponder.sseHeaders)
            }
            let delta = output.isFirst ? echo + output.text : output.text
            switch kind {
            case .chat: appendChat(output, delta: delta, to: &out)
            case .completion: appendCompletion(output, delta: delta, to: &out)
            }
            if output.isFinished {
                out.append(contentsOf: ChatStreamEncoder.done)
                responder.write(out)
                responder.finish()
                return
            }
        }
        if !out.isEmpty { responder.write(out) }
    }

    /// The running usage for chunks when `continuous_usage_stats` is on.
    private func runningUsage(_ output: SequenceOutput) -> Usage? {
        streamOptions.wantsContinuousUsage ? usage(output) : nil
    }

    /// Appends one output's chat chunks. The encoder is mutated where it is stored (copying it out and
    /// back cost a third of the encoding).
    private func appendChat(_ output: SequenceOutput, delta: String, to out: inout [UInt8]) {
        let state = onLoop
        if state.chat == nil {
            state.chat = ChatStreamEncoder(id: id, model: model, created: created, includeUsage: streamOptions.includeUsage,
                                           continuousUsageStats: streamOptions.continuousUsageStats)
        }
        let running = runningUsage(output)
        if let reason = output.finishReason {
            state.chat!.appendFinish(delta, reason: Self.wireReason(reason),
                                     stopReason: output.stopReason.map(Self.wireStopReason), usage: running, to: &out)
            if streamOptions.includeUsage { state.chat!.appendUsage(usage(output), to: &out) }
            return
        }
        if output.isFirst {
            state.chat!.appendRole(usage: running.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0) },
                                   to: &out)
        }
        if !delta.isEmpty { state.chat!.appendContent(delta, usage: running, to: &out) }
    }

    private func appendCompletion(_ output: SequenceOutput, delta: String, to out: inout [UInt8]) {
        let encoder = onLoop.completion ?? CompletionStreamEncoder(id: id, model: model, created: created,
                                                                  includeUsage: streamOptions.includeUsage,
                                                                  continuousUsageStats: streamOptions.continuousUsageStats)
        onLoop.completion = encoder
        let running = runningUsage(output)
        if let reason = output.finishReason {
            encoder.appendFinish(delta, reason: Self.wireReason(reason), stopReason: output.stopReason.map(Self.wireStopReason),
                                 usage: running, to: &out)
            if streamOptions.includeUsage { encoder.appendUsage(usage(output), to: &out) }
            return
        }
        if !delta.isEmpty { encoder.appendText(delta, usage: running, to: &out) }
    }

    /// The whole response of a non-streaming request, or its error.
    private func sendWhole(_ output: SequenceOutput, text: [UInt8]) {
        if let error = Self.engineError(output) {
            responder.sendError(error, retryAfterSeconds: retryAfterSeconds)
            return
        }
        guard let reason = output.finishReason else { return }
        let finish = Self.wireReason(reason)
        let stop = output.stopReason.map(Self.wireStopReason)
        let body: [UInt8] = text.withUnsafeBytes { text in
            switch kind {
            case .chat:
                ResponseEncoder.chatCompletion(id: id, model: model, created: created, contentUTF8: text,
                                               finishReason: finish, stopReason: stop, usage: usage(output))
            case .completion:
                ResponseEncoder.completion(id: id, model: model, created: created, textUTF8: text,
                                           finishReason: finish, stopReason: stop, usage: usage(output))
            }
        }
        responder.sendJSON(body)
    }

    /// An engine error or abort: an HTTP error before the stream started, else the in-band error event and `[DONE]`.
    private func endStream(with error: APIError, pending out: inout [UInt8]) {
        guard onLoop.started else {
            responder.sendError(error, retryAfterSeconds: retryAfterSeconds)
            return
        }
        out.append(contentsOf: ChatStreamEncoder.error(error))
        out.append(contentsOf: ChatStreamEncoder.done)
        responder.write(out)
        responder.finish()
    }

    /// The API error for an engine `.error` or `.abort` finish (500, or 503 with `Retry-After`); nil otherwise.
    static func engineError(_ output: SequenceOutput) -> APIError? {
        switch output.finishReason {
        case .error?: .internal(output.errorMessage ?? "Internal server error")
        case .abort?: .serviceUnavailable("The request was aborted: the server is shutting down.")
        default: nil
        }
    }

    private func usage(_ output: SequenceOutput) -> Usage {
        Usage(promptTokens: output.promptTokens, completionTokens: output.completionTokens)
    }

    static func wireReason(_ reason: EngineFinishReason) -> FinishReason {
        switch reason {
        case .stop: .stop
        case .length: .length
        case .abort, .error: .abort
        }
    }

    static func wireStopReason(_ reason: EngineStopReason) -> StopReason {
        switch reason {
        case .string(let text): .string(text)
        case .tokenID(let id): .tokenID(Int(id))
        }
    }

    /// What only the connection's loop thread touches. The encoders are made on first use (a
    /// non-streaming request never needs one).
    private final class LoopState: @unchecked Sendable {
        /// The status line and headers went out.
        var started = false
        /// The inbox buffer a drain swaps in, so steady streaming allocates no new inbox arrays.
        var spare: [SequenceOutput] = []
        var chat: ChatStreamEncoder?
        var completion: CompletionStreamEncoder?
    }
}
