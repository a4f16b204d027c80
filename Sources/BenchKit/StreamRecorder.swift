/// Turns one streamed response into a `RequestOutput`, following `async_request_openai_chat_completions`
/// / `async_request_openai_completions` of vLLM 0.33.0 (`vllm/benchmarks/lib/endpoint_request_func.py`):
/// - a token chunk is an SSE message with a non-empty `choices` array whose first choice has streamed output
///   (chat: `_choice_has_streamed_output`, so the opening role-only chunk does not count; completions: any
///   choice; `--compat v0.11`: any choice, role chunk included): the first sets TTFT, each later one appends
///   an ITL sample; E2EL ends at the last one;
/// - a message without `choices` but with `usage` gives `completion_tokens` (and `prompt_tokens`);
/// - success requires HTTP 200 and at least one token chunk.
/// Timestamps are passed in by the caller, taken when the message was parsed.
public struct StreamRecorder: Sendable {
    public let isChat: Bool
    public let compat: CompatMode
    public private(set) var output: RequestOutput
    private var sendTime: Double = 0
    private var last: Double = 0
    private var sawChunk = false
    private var serverError: String?
    private var finished = false

    /// `datasetPromptLen` is kept unless the server reports `usage.prompt_tokens` (latest only).
    public init(isChat: Bool, datasetPromptLen: Int, compat: CompatMode = .default) {
        self.isChat = isChat
        self.compat = compat
        output = RequestOutput()
        output.promptLen = datasetPromptLen
    }

    /// Records the send time `st` (monotonic s).
    public mutating func start(at st: Double, queueTime: Double = 0) {
        sendTime = st
        last = st
        output.startTime = st
        output.queueTime = queueTime
    }

    /// Handles one SSE `data` payload parsed at time `t`. Unparseable JSON fails the request as
    /// upstream's `json.loads` would.
    public mutating func handle(_ payload: [UInt8], at t: Double) {
        guard !finished else { return }
        let c: ChunkSummary
        if let f = ChunkSummary.fast(payload, isChat: isChat) {
            c = f
        } else {
            do { c = try ChunkSummary.naive(payload, isChat: isChat) } catch {
                fail("invalid JSON in stream: \(error)")
                return
            }
        }
        if c.hasChoices && (c.hasStreamedOutput || !compat.isModern) {
            if !sawChunk {
                output.ttft = t - sendTime
                sawChunk = true
            } else {
                output.itl.append(t - last)
            }
            last = t
            output.latency = t - sendTime
            if let text = c.text { output.generatedText += text }
        } else if c.hasUsage {
            if let n = c.completionTokens { output.outputTokens = n }
            if compat.isModern, let p = c.promptTokens { output.promptLen = p }
            if compat == .v0_11 { last = t; output.latency = t - sendTime }
        } else if let e = c.errorMessage {
            serverError = e
        }
        if compat == .v0_11 && sawChunk { last = t; output.latency = t - sendTime }
    }

    /// Marks the request failed with `error` (connection errors, non-200 status, bad stream).
    public mutating func fail(_ error: String) {
        guard !finished else { return }
        finished = true
        output.success = false
        output.error = error
    }

    /// Ends the stream normally and returns the record.
    public mutating func finish() -> RequestOutput {
        if !finished {
            finished = true
            if sawChunk {
                output.success = true
            } else {
                output.success = false
                var msg = "Never received a valid chunk to calculate TTFT.This response will be marked as failed!"
                if let e = serverError { msg += " (server error: \(e))" }
                output.error = msg
            }
        }
        return output
    }
}
