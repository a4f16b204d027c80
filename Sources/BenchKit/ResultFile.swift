import Foundation
import OpenAIAPI

/// Builds and writes the JSON result file with `vllm bench serve`'s keys and order
/// (vllm-bench-compat.md §8).
public enum ResultFile {
    /// The result object. `detailed` keeps the per-request arrays (`--save-detailed`) and then appends
    /// `runDetail`'s `vlbench_` keys, which `vlbench merge` needs, after vLLM's keys.
    public static func build(options o: BenchmarkOptions, modelID: String, tokenizerID: String, date: String,
                             outputs: [RequestOutput], metrics m: BenchmarkMetrics, duration: Double,
                             rpsChangeEvents: [(Int, String)] = [], detailed: Bool, runDetail: RunDetail? = nil) -> JSONValue {
        var r: [(key: String, value: JSONValue)] = [
            ("date", .string(date)),
            ("endpoint_type", .string(o.backend.rawValue)),
            ("backend", .string(o.backend.rawValue)),
            ("label", o.label.map { .string($0) } ?? .null),
            ("model_id", .string(modelID)),
            ("tokenizer_id", .string(tokenizerID)),
            ("num_prompts", .int(o.numPrompts)),
        ]
        for (k, v) in o.metadata { r.append((k, .string(v))) }
        r.append(("request_rate", o.requestRate.isFinite ? .double(o.requestRate) : .string("inf")))
        r.append(("burstiness", .double(o.burstiness)))
        r.append(("max_concurrency", o.maxConcurrency.map { .int($0) } ?? .null))
        if let ru = o.rampUp {
            r.append(("ramp_up_strategy", .string(ru.strategy.rawValue)))
            r.append(("ramp_up_start_rps", .int(Int(ru.startRPS))))
            r.append(("ramp_up_end_rps", .int(Int(ru.endRPS))))
        }
        r += [
            ("duration", .double(duration)),
            ("completed", .int(m.completed)),
            ("failed", .int(m.failed)),
            ("total_input_tokens", .int(m.totalInput)),
            ("total_output_tokens", .int(m.totalOutput)),
            ("request_throughput", .double(m.requestThroughput)),
            ("request_goodput", m.requestGoodput.map { .double($0) } ?? .null),
            ("output_throughput", .double(m.outputThroughput)),
            ("total_token_throughput", .double(m.totalTokenThroughput)),
        ]
        if detailed {
            r.append(("input_lens", .array(outputs.map { .int($0.promptLen) })))
            r.append(("output_lens", .array(m.actualOutputLens.map { .int($0) })))
            r.append(("ttfts", .array(outputs.map { .double($0.ttft) })))
            r.append(("itls", .array(outputs.map { .array($0.itl.map { .double($0) }) })))
        }
        // v0.11-era files had neither latencies, start_times nor queue_times (nor rtfx) unless detailed.
        let latest = o.compat.isModern
        if latest || detailed { r.append(("latencies", .array(outputs.map { .double($0.latency) }))) }
        if detailed { r.append(("start_times", .array(outputs.map { .double($0.startTime) }))) }
        if latest || detailed { r.append(("queue_times", .array(outputs.map { .double($0.queueTime) }))) }
        if detailed {
            r.append(("generated_texts", .array(outputs.map { .string($0.generatedText) })))
            r.append(("errors", .array(outputs.map { .string($0.error) })))
        }
        r.append(("max_output_tokens_per_s", .double(m.maxOutputTokensPerS)))
        r.append(("max_concurrent_requests", o.compat.peakConcurrencyIsInt ? .int(Int(m.maxConcurrentRequests))
                                                                           : .double(m.maxConcurrentRequests)))
        if latest { r.append(("rtfx", .double(0))) }
        if !rpsChangeEvents.isEmpty {
            r.append(("rps_change_events", .array(rpsChangeEvents.map { .object([("rps", .int($0.0)), ("timestamp", .string($0.1))]) })))
        }
        for metric in PercentileMetric.allCases where o.percentileMetrics.contains(metric) {
            guard let s = m.summaries[metric] else { continue }
            let k = metric.rawValue
            r.append(("mean_\(k)_ms", .double(s.mean)))
            r.append(("median_\(k)_ms", .double(s.median)))
            r.append(("std_\(k)_ms", .double(s.std)))
            for (p, v) in s.percentiles { r.append(("p\(ResultTable.percentileWord(p))_\(k)_ms", .double(v))) }
        }
        if detailed, let d = runDetail { r += d.members(outputs: outputs) }
        return .object(r)
    }

    /// `{label}-{rate}qps[-concurrency{C}]-{model basename}-{date}.json`, or the ramp-up variant.
    public static func defaultFilename(options o: BenchmarkOptions, modelID: String, date: String) -> String {
        let label = o.label ?? o.backend.rawValue
        let model = modelID.split(separator: "/").last.map(String.init) ?? modelID
        let conc = o.maxConcurrency.map { "-concurrency\($0)" } ?? ""
        if let ru = o.rampUp {
            return "\(label)-ramp-up-\(ru.strategy.rawValue)-\(Int(ru.startRPS))qps-\(Int(ru.endRPS))qps\(conc)-\(model)-\(date).json"
        }
        let rate = o.requestRate.isFinite ? PythonJSON.repr(o.requestRate) : "inf"
        return "\(label)-\(rate)qps\(conc)-\(model)-\(date).json"
    }

    /// Writes `value` as one line (appending a newline-separated object when `append`); creates the
    /// directory. Returns the path.
    @discardableResult
    public static func write(_ value: JSONValue, dir: String?, filename: String, append: Bool) throws -> String {
        var path = filename
        if let d = dir, !d.isEmpty {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            path = (d as NSString).appendingPathComponent(filename)
        }
        var bytes = PythonJSON.dumps(value)
        if append, let h = FileHandle(forUpdatingAtPath: path) {
            defer { try? h.close() }
            let end = try h.seekToEnd()
            if end > 0 { bytes.insert(0x0A, at: 0) }
            try h.write(contentsOf: Data(bytes))
        } else {
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw DatasetError("cannot write result file \(path)")
            }
        }
        return path
    }

    /// `YYYYmmdd-HHMMSS` in local time, as upstream's `datetime.now().strftime("%Y%m%d-%H%M%S")`.
    public static func timestamp(_ d: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: d)
    }
}
