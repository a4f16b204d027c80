import Observability

/// One generation request handed to the engine (prompt already rendered, images preprocessed).
public struct EngineRequest: Sendable {
    /// The response id (`chatcmpl-...`), for logs.
    public var requestID: String
    /// The full prompt, image placeholders expanded (`<|image_pad|>` × tokenCount per image).
    public var promptTokenIDs: [Int32]
    /// Images in prompt order; their pixel rows are freed once the patch embedding has run.
    public var images: [EngineImage]
    public var sampling: SamplingParameters
    /// When the server received the request, on the engine's clock (`Engine.now()`), in seconds.
    public var arrivalTime: Double
    /// Time spent fetching, decoding and preprocessing the images, in seconds.
    public var preprocessSeconds: Double
    /// Time the request waited for an image worker thread before that, in seconds.
    public var imageQueueSeconds: Double
    /// The `max_tokens` the client asked for, if any (for `vllm:request_params_max_tokens`).
    public var requestedMaxTokens: Int?
    /// Fields appended to the request's finish log line (the server's `mm_cache=hit|partial|miss|off`).
    public var logFields: [LogField] = []
    /// When `Engine.submit` queued it for the engine thread, on the engine's clock (s); set by `submit`.
    /// 0 when the request reached the scheduler directly (tests): the scheduler's enqueue time counts then.
    public var submittedAt: Double = 0

    public init(requestID: String, promptTokenIDs: [Int32], images: [EngineImage] = [],
                sampling: SamplingParameters, arrivalTime: Double, preprocessSeconds: Double = 0,
                imageQueueSeconds: Double = 0, requestedMaxTokens: Int? = nil) {
        self.requestID = requestID
        self.promptTokenIDs = promptTokenIDs
        self.images = images
        self.sampling = sampling
        self.arrivalTime = arrivalTime
        self.preprocessSeconds = preprocessSeconds
        self.imageQueueSeconds = imageQueueSeconds
        self.requestedMaxTokens = requestedMaxTokens
    }
}

/// What one engine step produced for one sequence. Delivered on the engine thread, in order.
public struct SequenceOutput: Sendable, Equatable {
    /// New visible text (may be empty: a held-back stop-string prefix, EOS, or the final output).
    public var text: String
    /// The token generated this step, if any (`nil` for aborted/failed outputs).
    public var tokenID: Int32?
    /// True for the first output of the sequence (the one after prefill).
    public var isFirst: Bool
    public var finishReason: EngineFinishReason?
    public var stopReason: EngineStopReason?
    public var promptTokens: Int
    /// Tokens generated so far, this step's included.
    public var completionTokens: Int
    /// For `.error` finishes: what went wrong.
    public var errorMessage: String?

    public var isFinished: Bool { finishReason != nil }
}

/// Why `Engine.submit` refused a request.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The waiting queue holds `limit` requests already (`--max-waiting-requests`); retry later (HTTP 503).
    case queueFull(limit: Int)
    /// The engine is shutting down or stopped.
    case shuttingDown

    public var description: String {
        switch self {
        case .queueFull(let limit):
            "The server is overloaded: \(limit) requests are already waiting. Retry later."
        case .shuttingDown:
            "The server is shutting down."
        }
    }
}

/// Identifies a submitted request, for `Engine.abort`.
public struct EngineTicket: Hashable, Sendable {
    public let rawValue: UInt64
}
