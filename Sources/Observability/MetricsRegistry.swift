import Foundation

/// Metric families in registration order, rendered in Prometheus text format 0.0.4
/// (`content-type: text/plain; version=0.0.4; charset=utf-8`), as `prometheus_client` does.
public final class MetricsRegistry: @unchecked Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    private enum Child {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    private final class Family {
        let name: String
        let help: String
        let kind: Kind
        var children: [(labels: String, child: Child)] = []
        init(name: String, help: String, kind: Kind) { self.name = name; self.help = help; self.kind = kind }
    }

    private let lock = NSLock()
    private var families: [Family] = []
    private var familyIndex: [String: Family] = [:]

    public init() {}

    /// Registers (or returns the existing) counter child. `name` is the family name without `_total`;
    /// with `reader`, its value is computed when rendering.
    public func counter(_ name: String, help: String, labels: [(String, String)] = [],
                        reader: (@Sendable () -> Double)? = nil) -> Counter {
        let key = Self.renderLabels(labels)
        return lock.withLock {
            let family = family(name, help: help, kind: .counter)
            for entry in family.children where entry.labels == key {
                if case .counter(let counter) = entry.child { return counter }
            }
            let counter = Counter(reader: reader)
            family.children.append((key, .counter(counter)))
            return counter
        }
    }

    /// Registers a gauge child; with `reader`, its value is computed when rendering.
    public func gauge(_ name: String, help: String, labels: [(String, String)] = [],
                      reader: (@Sendable () -> Double)? = nil) -> Gauge {
        let key = Self.renderLabels(labels)
        return lock.withLock {
            let family = family(name, help: help, kind: .gauge)
            for entry in family.children where entry.labels == key {
                if case .gauge(let gauge) = entry.child { return gauge }
            }
            let gauge = Gauge(reader: reader)
            family.children.append((key, .gauge(gauge)))
            return gauge
        }
    }

    /// Registers (or returns the existing) histogram child with the given finite bucket bounds.
    public func histogram(_ name: String, help: String, buckets: [Double],
                          labels: [(String, String)] = []) -> Histogram {
        let key = Self.renderLabels(labels)
        return lock.withLock {
            let family = family(name, help: help, kind: .histogram)
            for entry in family.children where entry.labels == key {
                if case .histogram(let histogram) = entry.child { return histogram }
            }
            let histogram = Histogram(upperBounds: buckets)
            family.children.append((key, .histogram(histogram)))
            return histogram
        }
    }

    private func family(_ name: String, help: String, kind: Kind) -> Family {
        if let existing = familyIndex[name] {
            precondition(existing.kind == kind, "metric \(name) registered as \(existing.kind) and \(kind)")
            return existing
        }
        let created = Family(name: name, help: help, kind: kind)
        families.append(created)
        familyIndex[name] = created
        return created
    }

    /// The whole exposition, ending with a newline.
    public func render() -> String {
        let snapshot: [(Family, [(labels: String, child: Child)])] = lock.withLock {
            families.map { ($0, $0.children) }
        }
        var out = ""
        out.reserveCapacity(16_384)
        for (family, children) in snapshot {
            // prometheus_client names a counter's HELP and TYPE lines after its `_total` samples.
            let header = family.kind == .counter ? family.name + "_total" : family.name
            out += "# HELP \(header) \(family.help)\n# TYPE \(header) \(family.kind.rawValue)\n"
            for (labels, child) in children {
                switch child {
                case .counter(let counter):
                    out += "\(family.name)_total\(Self.braced(labels)) \(Self.format(counter.value))\n"
                case .gauge(let gauge):
                    out += "\(family.name)\(Self.braced(labels)) \(Self.format(gauge.value))\n"
                case .histogram(let histogram):
                    let (buckets, sum, count) = histogram.snapshot
                    var cumulative: UInt64 = 0
                    let prefix = labels.isEmpty ? "" : labels + ","
                    for (i, bound) in histogram.upperBounds.enumerated() {
                        cumulative += buckets[i]
                        out += "\(family.name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(Self.format(Double(cumulative)))\n"
                    }
                    cumulative += buckets[histogram.upperBounds.count]
                    out += "\(family.name)_bucket{\(prefix)le=\"+Inf\"} \(Self.format(Double(cumulative)))\n"
                    out += "\(family.name)_count\(Self.braced(labels)) \(Self.format(Double(count)))\n"
                    out += "\(family.name)_sum\(Self.braced(labels)) \(Self.format(sum))\n"
                }
            }
        }
        return out
    }

    /// `a="x",b="y"` with `\`, `"` and newlines escaped as the text format requires.
    static func renderLabels(_ labels: [(String, String)]) -> String {
        labels.map { name, value in
            var escaped = ""
            for ch in value {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(ch)
                }
            }
            return "\(name)=\"\(escaped)\""
        }.joined(separator: ",")
    }

    private static func braced(_ labels: String) -> String { labels.isEmpty ? "" : "{\(labels)}" }

    /// Python-style float text: `1.0`, `0.005`, `2560.0`, `+Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
        return String(value)
    }
}
