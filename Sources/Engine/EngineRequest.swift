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

/// Identifies a submitted request, for `Engine.abort`.
public struct EngineTicket: Hashable, Sendable {
    public let rawValue: UInt64
}
