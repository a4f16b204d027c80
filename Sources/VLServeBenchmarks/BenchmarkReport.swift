import Foundation

/// What a `vlserve bench-*` command prints: a human-readable table, or with `--json` the report encoded by
/// `JSONEncoder` on one line (keys sorted, so the output is stable; non-finite numbers are written as null
/// by the conforming types). New benchmarks (bench-vit, GEMM backends) add a conforming type.
public protocol BenchmarkReport: Encodable, Sendable {
    /// The report as lines of text for a terminal.
    var table: String { get }
}

extension BenchmarkReport {
    /// The report as one line of JSON.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or JSON null when it is NaN or infinite (which `JSONEncoder` would reject).
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
