/// Engine totals since start; published after every step.
public struct EngineCounters: Sendable, Equatable {
    public var submitted = 0
    public var rejected = 0
    public var admitted = 0
    public var finishedStop = 0
    public var finishedLength = 0
    public var aborted = 0
    public var failed = 0
    public var running = 0
    public var waiting = 0
    public var steps = 0
    public var generatedTokens = 0
    public var encodedImages = 0
    public var encodedPatches = 0
    /// Patch-embedding calls (one per step that had images).
    public var encoderBatches = 0
    /// Running sequences sent back to the waiting queue because the KV cache was full.
    public var preemptions = 0

    public init() {}

    public var finished: Int { finishedStop + finishedLength + aborted + failed }
}
