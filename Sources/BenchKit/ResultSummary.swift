import Foundation
import OpenAIAPI

/// A table over many result files, in the shape of vllm-ascend's `convert_json_to_markdown.py`
/// (columns "Request rate (req/s)", "Tput (req/s)", "Output Tput (tok/s)", "TTFT (ms)",
/// "TPOT (ms)", "ITL (ms)", using the median latency keys), plus the test name and variant.
public enum ResultSummary {
    /// One table row per JSON object (a file may hold several lines from `--append-result`).
    public static func markdown(files: [String]) throws -> String {
        var s = "| Test | Variant | Request rate (req/s) | Tput (req/s) | Output Tput (tok/s) | TTFT (ms) | TPOT (ms) | ITL (ms) |\n"
        s += "|---|---|---:|---:|---:|---:|---:|---:|\n"
        for f in files.sorted() {
            guard let data = FileManager.default.contents(atPath: f) else { throw BenchmarkError("cannot read \(f)") }
            let test = ((f as NSString).deletingLastPathComponent as NSString).lastPathComponent
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                let j: JSONValue
                do { j = try PythonJSON.loads(Array(line)) } catch { throw BenchmarkError("\(f): \(error)") }
                let variant = j["variant"]?.stringValue ?? j["label"]?.stringValue ?? ((f as NSString).lastPathComponent as NSString).deletingPathExtension
                let rate = j["request_rate"]?.doubleValue.map { PythonJSON.repr($0) } ?? j["request_rate"]?.stringValue ?? "?"
                func num(_ k: String) -> String { j[k]?.doubleValue.map { String(format: "%.2f", $0) } ?? "n/a" }
                s += "| \(test) | \(variant) | \(rate) | \(num("request_throughput")) | \(num("output_throughput")) | \(num("median_ttft_ms")) | \(num("median_tpot_ms")) | \(num("median_itl_ms")) |\n"
            }
        }
        return s
    }
}
