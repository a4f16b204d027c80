import Engine
import Foundation
import NetIO
import OpenAIAPI
import Synchronization

/// One generation request's connection to its client: receives the engine's outputs (on the engine
/// thread) and writes them as vLLM-shaped SSE chunks or, at the end, one JSON body.
///
/// The HTTP status is sent lazily with the first output, so an engine failure before any token is
/// still an HTTP error; after that, errors are one `data: {"error": ...}` event, then `[DONE]`.
/// A client disconnect (`cancel()`) aborts the engine request, wherever it is.
final class RequestSession: @unchecked Sendable {
    enum Kind { case chat, completion }

    let kind: Kind
    let stream: Bool
    let responder: HTTPResponder
    let engine: Engine
    let id: String
    let model: String
    let created: Int
    let includeUsage: Bool
    let continuousUsage: Bool
    let retryAfterSeconds: Int
    /// Prepended to the output (completions with `echo`).
    var echoPrefix = ""
    /// The app's count of sessions alive (incremented here, decremented in `deinit`).
    private let liveCount: LiveCounter?

    private let lock = NSLock()
    private var chatEncoder: ChatStreamEncoder
    private let completionEncoder: CompletionStreamEncoder
    private var text = ""
    private var started = false
    private var completed = false
    private var cancelled = false
    private var ticket: EngineTicket?

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
        includeUsage = streamOptions.includeUsage
        continuousUsage = streamOptions.wantsContinuousUsage
        self.retryAfterSeconds = retryAfterSeconds
        chatEncoder = ChatStreamEncoder(id: id, model: model, created: created, includeUsage: streamOptions.includeUsage,
                                        continuousUsageStats: streamOptions.continuousUsageStats)
        completionEncoder = CompletionStreamEncoder(id: id, model: model, created: created,
                                                    includeUsage: streamOptions.includeUsage,
                                                    continuousUsageStats: streamOptions.continuousUsageStats)
    }

    deinit { liveCount?.value.subtract(1, ordering: .relaxed) }

    /// True once the client went away (then nothing more should be done for this request).
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Client disconnect: aborts the engine request if it was submitted.
    func cancel() {
        let toAbort: EngineTicket? = lock.withLock {
            cancelled = true
            return completed ? nil : ticket
        }
        if let toAbort { engine.abort(toAbort) }
    }

    /// Records the engine ticket; aborts at once if the client left meanwhile.
    func attach(_ ticket: EngineTicket) {
        let abortNow: Bool = lock.withLock {
            self.ticket = ticket
            return cancelled && !completed
        }
        if abortNow { engine.abort(ticket) }
    }

    /// Fails the request before anything was sent (validation or image errors found off the loop).
    func fail(_ error: APIError) {
        let send: Bool = lock.withLock {
            guard !completed, !started else { return false }
            completed = true
            return true
        }
        if send { responder.sendError(error, retryAfterSeconds: retryAfterSeconds) }
    }

    /// Handles one engine output. Runs on the engine thread: only encodes and hands bytes over.
    func deliver(_ output: SequenceOutput) {
        lock.lock()
        defer { lock.unlock() }
        guard !completed else { return }
        if output.isFinished { completed = true }
        if cancelled { return }
        switch output.finishReason {
        case .error?:
            let error = APIError.internal(output.errorMessage ?? "Internal server error")
            if started { finishStream(inBandError: error) } else { responder.sendError(error) }
            return
        case .abort?:
            let error = APIError.serviceUnavailable("The request was aborted: the server is shutting down.")
            if started { finishStream(inBandError: error) } else { responder.sendError(error, retryAfterSeconds: retryAfterSeconds) }
            return
        default:
            break
        }
        if stream { deliverStreaming(output) } else { deliverWhole(output) }
    }

    private func usage(_ output: SequenceOutput) -> Usage {
        Usage(promptTokens: output.promptTokens, completionTokens: output.completionTokens)
    }

    private func deliverStreaming(_ output: SequenceOutput) {
        var out: [UInt8] = []
        out.reserveCapacity(256 + output.text.utf8.count)
        if !started {
            started = true
            responder.startStream(status: 200, headers: HTTPResponder.sseHeaders)
        }
        let running = continuousUsage ? usage(output) : nil
        let delta = output.isFirst ? echoPrefix + output.text : output.text
        if let reason = output.finishReason {
            let finish = Self.wireReason(reason)
            let stop = output.stopReason.map(Self.wireStopReason)
            switch kind {
            case .chat:
                chatEncoder.appendFinish(delta, reason: finish, stopReason: stop, usage: running, to: &out)
                if includeUsage { chatEncoder.appendUsage(usage(output), to: &out) }
            case .completion:
                completionEncoder.appendFinish(delta, reason: finish, stopReason: stop, usage: running, to: &out)
                if includeUsage { completionEncoder.appendUsage(usage(output), to: &out) }
            }
            out.append(contentsOf: ChatStreamEncoder.done)
            responder.write(out)
            responder.finish()
            return
        }
        switch kind {
        case .chat:
            if output.isFirst {
                chatEncoder.appendRole(usage: running.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0) }, to: &out)
            }
            if !delta.isEmpty { chatEncoder.appendContent(delta, usage: running, to: &out) }
        case .completion:
            if !delta.isEmpty { completionEncoder.appendText(delta, usage: running, to: &out) }
        }
        if !out.isEmpty { responder.write(out) }
    }

    private func deliverWhole(_ output: SequenceOutput) {
        if output.isFirst { text += echoPrefix }
        text += output.text
        guard let reason = output.finishReason else { return }
        started = true
        let finish = Self.wireReason(reason)
        let stop = output.stopReason.map(Self.wireStopReason)
        let body: [UInt8]
        switch kind {
        case .chat:
            body = ResponseEncoder.chatCompletion(id: id, model: model, created: created, content: text,
                                                  finishReason: finish, stopReason: stop, usage: usage(output))
        case .completion:
            body = ResponseEncoder.completion(id: id, model: model, created: created, text: text,
                                              finishReason: finish, stopReason: stop, usage: usage(output))
        }
        responder.sendJSON(body)
    }

    private func finishStream(inBandError error: APIError) {
        var out = ChatStreamEncoder.error(error)
        out.append(contentsOf: ChatStreamEncoder.done)
        responder.write(out)
        responder.finish()
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
}

/// A shared count (sessions alive), readable from any thread.
public final class LiveCounter: Sendable {
    let value = Atomic<Int>(0)
    public init() {}
    public var current: Int { value.load(ordering: .relaxed) }
}
