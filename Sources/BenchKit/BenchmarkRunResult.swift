import OpenAIAPI

/// Everything a finished run produced.
public struct BenchmarkRunResult: Sendable {
    public var modelID: String
    public var outputs: [RequestOutput]
    public var metrics: BenchmarkMetrics
    public var duration: Double
    /// The result object (always built; written only with `--save-result`).
    public var result: JSONValue
    public var resultPath: String?
    /// Actual send time − scheduled arrival per request (s).
    public var sendLags: [Double]
    /// Most streams in flight at once.
    public var peakInFlight: Int
    /// vlbench's own CPU time (user + system, s) during the measured run, and the SSE token chunks
    /// it received, for the client-overhead figure (CPU per 1000 chunks).
    public var clientCPUSeconds: Double = 0
    public var chunksReceived: Int = 0
    /// Server `/metrics` before and after the run (nil if the server has none).
    public var serverMetricsBefore: PrometheusText?
    public var serverMetricsAfter: PrometheusText?
    /// The shard, its requests' dataset indices, the run's start and what identifies the dataset.
    public var runDetail: RunDetail?
}
