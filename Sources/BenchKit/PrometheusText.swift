/// Minimal Prometheus text-format reader for the server's `/metrics`: sums every sample of a
/// metric name across label sets (so per-model/engine labels add up).
public struct PrometheusText: Sendable {
    /// name (without labels) → summed value.
    public private(set) var values: [String: Double] = [:]

    public init(_ text: String) {
        for line in text.split(separator: "\n") {
            guard let f = line.first, f != "#" else { continue }
            var nameEnd = line.firstIndex(where: { $0 == "{" || $0 == " " }) ?? line.endIndex
            let name = String(line[..<nameEnd])
            if nameEnd < line.endIndex, line[nameEnd] == "{" {
                guard let close = line[nameEnd...].firstIndex(of: "}") else { continue }
                nameEnd = line.index(after: close)
            }
            let rest = line[nameEnd...].split(separator: " ", omittingEmptySubsequences: true)
            guard let v = rest.first.flatMap({ Double($0) }) else { continue }
            values[name, default: 0] += v
        }
    }

    public subscript(_ name: String) -> Double? { values[name] }

    /// Histogram names present (those with both `_sum` and `_count` samples).
    public var histogramNames: [String] {
        values.keys.filter { $0.hasSuffix("_sum") }.map { String($0.dropLast(4)) }
            .filter { values[$0 + "_count"] != nil }.sorted()
    }
}
