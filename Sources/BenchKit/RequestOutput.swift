/// The outcome of one benchmark request, mirroring vLLM's `RequestFuncOutput`
/// (`vllm/benchmarks/lib/endpoint_request_func.py`). All times are monotonic seconds.
public struct RequestOutput: Sendable, Equatable {
    /// True iff HTTP 200 and at least one SSE chunk with non-empty `choices` arrived.
    public var success: Bool = false
    /// Time from sending the request to the first chunk with non-empty `choices` (s).
    public var ttft: Double = 0
    /// One gap per later chunk with non-empty `choices` (s); Σ itl = latency − ttft.
    public var itl: [Double] = []
    /// End-to-end latency: request sent → last chunk with non-empty `choices` (s).
    public var latency: Double = 0
    /// `usage.completion_tokens` from the usage chunk; 0 when the stream reported none.
    public var outputTokens: Int = 0
    /// Prompt length: `usage.prompt_tokens` when reported (latest), else the dataset's count.
    public var promptLen: Int = 0
    /// Monotonic send time (s), the same clock as the benchmark start.
    public var startTime: Double = 0
    /// Client-side queueing before the concurrency gate let the request go (s).
    public var queueTime: Double = 0
    /// Concatenated `delta.content` (chat) or `text` (completions).
    public var generatedText: String = ""
    /// Error text for failures, "" for successes.
    public var error: String = ""

    public init() {}

    public init(success: Bool, ttft: Double, itl: [Double], latency: Double, outputTokens: Int,
                promptLen: Int, startTime: Double = 0, queueTime: Double = 0,
                generatedText: String = "", error: String = "") {
        self.success = success
        self.ttft = ttft
        self.itl = itl
        self.latency = latency
        self.outputTokens = outputTokens
        self.promptLen = promptLen
        self.startTime = startTime
        self.queueTime = queueTime
        self.generatedText = generatedText
        self.error = error
    }
}
