/// Which upstream semantics to reproduce (vllm-bench-compat.md §9). The default, `.v0_33`, is the newest
/// released `vllm bench serve` (0.33.0); `.latest` is unreleased vLLM main.
public enum CompatMode: String, Sendable, CaseIterable {
    /// vLLM 0.33.0 (default): peak concurrency per 1-s bucket (`calculate_metrics` in 0.33.0's
    /// `vllm/benchmarks/serve.py`), written to the JSON as an int; everything else as `.latest`.
    case v0_33 = "v0.33"
    /// vLLM main (unreleased): peak concurrency by an exact sweep line (PR #56678), written as a float.
    case latest
    /// v0.11-era: dataset prompt lengths, E2EL ends at the usage chunk, 1-s bucket peak concurrency,
    /// `temperature: 0` injected, 600 s ready check.
    case v0_11 = "v0.11"

    /// The default `--compat`: the newest vLLM release.
    public static let `default` = CompatMode.v0_33

    /// Peak concurrent requests by the sweep line (only unreleased main); else per 1-s bucket.
    public var peakConcurrencyBySweepLine: Bool { self == .latest }
    /// `max_concurrent_requests` is an int in the JSON (vLLM ≤ 0.33.0 wrote `int(np.max(...))`).
    public var peakConcurrencyIsInt: Bool { self != .latest }
    /// Post-v0.11 behaviour (server prompt tokens, `latencies`/`queue_times`/`rtfx` in the JSON, no ready check).
    public var isModern: Bool { self != .v0_11 }
}
