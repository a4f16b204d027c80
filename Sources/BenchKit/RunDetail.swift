import OpenAIAPI

/// What `--save-detailed` writes beyond `vllm bench serve`'s per-request arrays (`input_lens`, `output_lens`,
/// `ttfts`, `itls`, `latencies`, `start_times`, `queue_times`, `generated_texts`, `errors`), so that
/// `vlbench merge` can merge the shards of a run exactly. Its keys start with `vlbench_` and follow vLLM's
/// keys; tools that read `vllm bench serve` results ignore them.
///
/// | key | value |
/// | --- | --- |
/// | `vlbench_shard` | `"i/N"` as `--shard` (`"1/1"` for an unsharded run) |
/// | `vlbench_seed`, `vlbench_dataset_name`, `vlbench_compat` | `--seed`, `--dataset-name`, `--compat` |
/// | `vlbench_dataset_fingerprint` | FNV-1a 64 of the whole seeded dataset (all N requests, hex) |
/// | `vlbench_goodput` | the `--goodput` SLOs in ms (`{}` without) |
/// | `vlbench_run_start_unix` | the run's start (schedule offset 0), UNIX s on the wall clock (`--start-at` when given) |
/// | `vlbench_request_indices` | each request's index in the whole dataset (0-based) |
/// | `vlbench_start_offsets` | each request's send time, s after the run's start (vLLM's `start_times` are monotonic, per process) |
/// | `vlbench_successes` | each request's success flag |
public struct RunDetail: Sendable, Equatable {
    public var shard: Shard
    public var seed: UInt64
    public var datasetName: String
    public var datasetFingerprint: String
    public var compat: CompatMode
    /// `--goodput` SLOs (ms) keyed `ttft`, `tpot`, `e2el`.
    public var goodput: [String: Double]
    /// Offset 0 of the schedule: `start.monotonic` is on the clock of the outputs' `startTime`.
    public var start: RunStart
    /// Dataset index of each output, in output order.
    public var requestIndices: [Int]

    public init(shard: Shard, seed: UInt64, datasetName: String, datasetFingerprint: String, compat: CompatMode,
                goodput: [String: Double], start: RunStart, requestIndices: [Int]) {
        self.shard = shard
        self.seed = seed
        self.datasetName = datasetName
        self.datasetFingerprint = datasetFingerprint
        self.compat = compat
        self.goodput = goodput
        self.start = start
        self.requestIndices = requestIndices
    }

    /// The `vlbench_` members for `outputs` (one per `requestIndices` entry).
    public func members(outputs: [RequestOutput]) -> [(key: String, value: JSONValue)] {
        [
            ("vlbench_shard", .string(shard.description)),
            ("vlbench_seed", .int(Int(seed))),
            ("vlbench_dataset_name", .string(datasetName)),
            ("vlbench_dataset_fingerprint", .string(datasetFingerprint)),
            ("vlbench_compat", .string(compat.rawValue)),
            ("vlbench_goodput", .object(goodput.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) })),
            ("vlbench_run_start_unix", .double(start.unix)),
            ("vlbench_request_indices", .array(requestIndices.map { .int($0) })),
            ("vlbench_start_offsets", .array(outputs.map { .double($0.startTime - start.monotonic) })),
            ("vlbench_successes", .array(outputs.map { .bool($0.success) })),
        ]
    }

    /// FNV-1a 64 (hex) of the seeded dataset as sampled, before the server's tokenizer adjusts it: every request's
    /// prompt, lengths and images, in order (images sampled every 1021st byte, plus their lengths). Equal for
    /// every shard of one run; it differs when a dataset flag, the seed or the tokenizer differs.
    public static func fingerprint(_ samples: [SampleRequest]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        func mix(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { for b in $0 { mix(b) } } }
        for s in samples {
            mix(s.prompt.utf8.count)
            for b in s.prompt.utf8 { mix(b) }
            mix(s.promptLen)
            mix(s.expectedOutputLen)
            mix(s.imageURLs.count)
            for url in s.imageURLs {
                let bytes = Array(url.utf8)
                mix(bytes.count)
                for k in stride(from: 0, to: bytes.count, by: 1021) { mix(bytes[k]) }
            }
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
