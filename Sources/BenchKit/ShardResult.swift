import Foundation
import OpenAIAPI

/// One result file written with `--save-result --save-detailed` (a shard of a run, or a whole run), read back
/// for `vlbench merge`: its JSON, its `vlbench_` detail and its requests rebuilt as `RequestOutput`s.
public struct ShardResult: Sendable {
    public var path: String
    public var json: JSONValue
    public var detail: RunDetail
    /// In file order; `startTime` is seconds after this shard's `detail.start` (its `monotonic` is 0 here).
    public var outputs: [RequestOutput]
    /// The shard's `duration`: its start to its last completion (s).
    public var duration: Double

    /// Reads and parses `path` (one JSON object; a file of several `--append-result` lines is refused).
    public static func load(path: String) throws(BenchmarkError) -> ShardResult {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkError("cannot read \(path)") }
        let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }
        guard lines.count == 1 else {
            throw BenchmarkError("\(path) holds \(lines.count) results (--append-result?); give one result file per shard")
        }
        let json: JSONValue
        do { json = try PythonJSON.loads(Array(lines[0])) } catch { throw BenchmarkError("\(path): \(error)") }
        return try ShardResult(json: json, path: path)
    }

    /// Parses a result object; refuses one without the per-request arrays or the `vlbench_` detail, saying what
    /// to rerun.
    public init(json: JSONValue, path: String) throws(BenchmarkError) {
        self.path = path
        self.json = json
        guard json.objectValue != nil else { throw BenchmarkError("\(path) is not a result object") }
        guard json["ttfts"] != nil, json["itls"] != nil else {
            throw BenchmarkError("\(path) has no per-request results (ttfts, itls, ...): rerun that shard with "
                + "--save-result --save-detailed; merging needs every request's samples, not summaries")
        }
        guard json["vlbench_request_indices"] != nil else {
            throw BenchmarkError("\(path) has per-request results but no vlbench_ shard fields (written by vllm bench serve or an "
                + "older vlbench?): rerun with vlbench --save-result --save-detailed [--shard i/N --start-at T]")
        }
        func field<T>(_ key: String, _ get: (JSONValue) -> T?) throws(BenchmarkError) -> T {
            guard let v = json[key], let t = get(v) else { throw BenchmarkError("\(path): '\(key)' is missing or malformed") }
            return t
        }
        func array<T>(_ key: String, _ get: (JSONValue) -> T?) throws(BenchmarkError) -> [T] {
            let items = try field(key) { $0.arrayValue }
            var out: [T] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let t = get(item) else { throw BenchmarkError("\(path): '\(key)' has a malformed element") }
                out.append(t)
            }
            return out
        }
        let shardText = try field("vlbench_shard") { $0.stringValue }
        let shard: Shard
        do throws(FlagError) { shard = try Shard(flag: shardText) } catch {
            throw BenchmarkError("\(path): vlbench_shard: \(error.description)")
        }
        let compatName = try field("vlbench_compat") { $0.stringValue }
        guard let compat = CompatMode(rawValue: compatName) else { throw BenchmarkError("\(path): unknown vlbench_compat '\(compatName)'") }
        var goodput: [String: Double] = [:]
        for (k, v) in try field("vlbench_goodput", { $0.objectValue }) {
            guard let ms = v.doubleValue else { throw BenchmarkError("\(path): vlbench_goodput.\(k) is not a number") }
            goodput[k] = ms
        }
        let seed = try field("vlbench_seed") { $0.integralValue }
        guard seed >= 0 else { throw BenchmarkError("\(path): vlbench_seed is negative") }
        let indices = try array("vlbench_request_indices") { $0.integralValue }
        detail = RunDetail(shard: shard, seed: UInt64(seed), datasetName: try field("vlbench_dataset_name") { $0.stringValue },
                           datasetFingerprint: try field("vlbench_dataset_fingerprint") { $0.stringValue }, compat: compat,
                           goodput: goodput, start: RunStart(unix: try field("vlbench_run_start_unix") { $0.doubleValue }, monotonic: 0),
                           requestIndices: indices)
        duration = try field("duration") { $0.doubleValue }

        let inputLens = try array("input_lens") { $0.integralValue }
        let outputLens = try array("output_lens") { $0.integralValue }
        let ttfts = try array("ttfts") { $0.doubleValue }
        let itls = try array("itls") { v -> [Double]? in
            guard let a = v.arrayValue else { return nil }
            let d = a.compactMap(\.doubleValue)
            return d.count == a.count ? d : nil
        }
        let latencies = try array("latencies") { $0.doubleValue }
        let queueTimes = try array("queue_times") { $0.doubleValue }
        let texts = try array("generated_texts") { $0.stringValue }
        let errors = try array("errors") { $0.stringValue }
        let offsets = try array("vlbench_start_offsets") { $0.doubleValue }
        let successes = try array("vlbench_successes") { $0.boolValue }
        let n = indices.count
        for (key, count) in [("input_lens", inputLens.count), ("output_lens", outputLens.count), ("ttfts", ttfts.count),
                             ("itls", itls.count), ("latencies", latencies.count), ("queue_times", queueTimes.count),
                             ("generated_texts", texts.count), ("errors", errors.count), ("vlbench_start_offsets", offsets.count),
                             ("vlbench_successes", successes.count)] where count != n {
            throw BenchmarkError("\(path): '\(key)' has \(count) entries for \(n) requests")
        }
        // output_lens are the counts the metrics used (usage, else the tokenizer's count), so they are taken as is.
        outputs = (0..<n).map { k in
            RequestOutput(success: successes[k], ttft: ttfts[k], itl: itls[k], latency: latencies[k], outputTokens: outputLens[k],
                          promptLen: inputLens[k], startTime: offsets[k], queueTime: queueTimes[k], generatedText: texts[k],
                          error: errors[k])
        }
    }
}
