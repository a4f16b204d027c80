import HTTPCore
import NetIO

/// Consumes one streamed response on the event-loop thread: SSE framing via `SSEParser`, timing via
/// `StreamRecorder` (a monotonic timestamp is taken as each SSE event is parsed), then reports the
/// finished `RequestOutput` to `onDone` exactly once.
final class StreamingRequestHandler: HTTPClientResponseHandler {
    private var parser = SSEParser()
    var recorder: StreamRecorder
    private var statusOK = false
    private var reported = false
    private let onDone: (RequestOutput) -> Void
    var timer: TimerHandle?

    init(recorder: StreamRecorder, onDone: @escaping (RequestOutput) -> Void) {
        self.recorder = recorder
        self.onDone = onDone
    }

    func requestSent(atNanos nanos: UInt64) {}

    func head(_ head: HTTPResponseHead) {
        if head.status.code == 200 {
            statusOK = true
        } else {
            // Upstream: error = the HTTP reason phrase; the body is not used.
            let reason = head.status.reasonPhrase.isEmpty ? HTTPStatus.standardReasonPhrase(head.status.code) : head.status.reasonPhrase
            recorder.fail(reason)
        }
    }

    func body(_ bytes: [UInt8], atNanos nanos: UInt64) {
        guard statusOK, !reported else { return }
        do {
            for ev in try parser.feed(bytes) { handle(ev) }
        } catch {
            recorder.fail("\(error)")
        }
    }

    private func handle(_ ev: SSEEvent) {
        switch ev {
        case .data(let payload): recorder.handle(payload, at: monotonicSeconds())
        case .done: break
        }
    }

    func end(atNanos nanos: UInt64) {
        if statusOK { for ev in parser.finish() { handle(ev) } }
        report()
    }

    func failed(_ error: HTTPClientError) {
        recorder.fail(error.description)
        report()
    }

    /// Fails the request (timeout) if it has not finished.
    func abort(_ reason: String) {
        recorder.fail(reason)
        report()
    }

    private func report() {
        guard !reported else { return }
        reported = true
        onDone(recorder.finish())
    }
}
