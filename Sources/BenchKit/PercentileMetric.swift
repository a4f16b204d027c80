/// A metric that `--percentile-metrics` can select.
public enum PercentileMetric: String, Sendable, CaseIterable {
    case ttft, tpot, itl, e2el
    case clientQueueTime = "client_queue_time"
    case e2elIncludingClientQueue = "e2el_including_client_queue"

    /// Abbreviation used in row labels ("Mean TTFT (ms):").
    public var label: String {
        switch self {
        case .ttft: return "TTFT"
        case .tpot: return "TPOT"
        case .itl: return "ITL"
        case .e2el: return "E2EL"
        case .clientQueueTime: return "Client Queue Time"
        case .e2elIncludingClientQueue: return "E2EL incl. Client Queue"
        }
    }

    /// Section header text in the printed table.
    public var header: String {
        switch self {
        case .ttft: return "Time to First Token"
        case .tpot: return "Time per Output Token (excl. 1st token)"
        case .itl: return "Inter-token Latency"
        case .e2el: return "End-to-end Latency"
        case .clientQueueTime: return "Client-side Queueing"
        case .e2elIncludingClientQueue: return "Queue-inclusive End-to-end Latency"
        }
    }
}
