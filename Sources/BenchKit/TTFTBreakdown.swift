/// One run's mean TTFT split into disjoint parts that add up by construction: seven server phases from
/// vlserve's histograms (each phase's Δ`_sum` over the run divided by the Δ`_count` of
/// `vllm:time_to_first_token_seconds`, so a phase that only image requests have counts 0 for the
/// others), plus the client-side remainder (the client's mean TTFT minus the server's), which covers the
/// network, the kernel, the request body's receipt before the server's handler runs, and the client.
///
/// Per request, vlserve's phases sum to its server TTFT exactly (`Scheduler.observeTTFTBreakdown`), so
/// the rows sum to the client's mean TTFT up to requests admitted but never given a first token (an
/// encoder failure). vLLM's names keep vLLM's meaning, so neither is a row: `vllm:request_queue_time_seconds`
/// is only the scheduler's waiting queue (the engine-queue row also holds the wait for the engine thread to
/// finish its current step before it takes the request), and `vllm:request_prefill_time_seconds`
/// (admitted → first token, encoder included) is encoder + prefill after the encoder + first decode step.
public struct TTFTBreakdown: Sendable, Equatable {
    /// (histogram, row label), in pipeline order.
    public static let serverPhases: [(metric: String, label: String)] = [
        ("vlserve:request_receive_parse_seconds", "receive and parse"),
        ("vlserve:request_image_queue_seconds", "image queue"),
        ("vlserve:request_image_preprocess_seconds", "image decode and preprocess"),
        ("vlserve:request_engine_queue_seconds", "engine queue"),
        ("vlserve:request_vision_encoder_seconds", "vision encoder"),
        ("vlserve:request_prefill_after_encoder_seconds", "prefill after the encoder"),
        ("vlserve:request_first_decode_step_seconds", "first decode step"),
    ]
    public static let serverTTFTMetric = "vllm:time_to_first_token_seconds"
    public static let clientRowLabel = "client and network (client TTFT − server TTFT)"
    /// Every row label: the server phases, then the client remainder.
    public static var rowLabels: [String] { serverPhases.map(\.label) + [clientRowLabel] }

    /// Milliseconds per request, one per `rowLabels` entry; they sum to `clientTTFTms`.
    public var rowsMs: [Double]
    /// The client's mean TTFT (ms), which the rows add up to.
    public var clientTTFTms: Double
    /// The server's mean TTFT (ms): Δsum / Δcount of `vllm:time_to_first_token_seconds`.
    public var serverTTFTms: Double

    /// nil when the server exported no TTFT histogram or none of vlserve's breakdown histograms (an older
    /// server), since the remainder would then swallow the missing phases.
    public init?(phases: PhaseTimings, clientMeanTTFTms: Double) {
        guard let ttftSum = phases.sum(Self.serverTTFTMetric), let n = phases.count(Self.serverTTFTMetric), n > 0,
              phases.count("vlserve:request_prefill_after_encoder_seconds") != nil else { return nil }
        let server = Self.serverPhases.map { (phases.sum($0.metric) ?? 0) / n * 1000 }
        serverTTFTms = ttftSum / n * 1000
        clientTTFTms = clientMeanTTFTms
        rowsMs = server + [clientMeanTTFTms - serverTTFTms]
    }

    /// Sum of the server phases (ms); equals `serverTTFTms` up to rounding and encoder failures.
    public var serverPhasesMs: Double { rowsMs.dropLast().reduce(0, +) }
}
