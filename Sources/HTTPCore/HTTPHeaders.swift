/// Ordered HTTP header fields with case-insensitive (ASCII) name lookup.
///
/// Names and values are stored exactly as received or added; lookups fold ASCII case only
/// (RFC 9110 §5.1). Duplicates are kept in order.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The fields in wire order.
    public private(set) var fields: [(name: String, value: String)]

    public init() { fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Number of fields (duplicates counted separately).
    public var count: Int { fields.count }

    /// Appends a field (no validation; the response writer validates outbound fields).
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with one field `name: value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(name: String) {
        fields.removeAll { HTTPHeaders.equalsIgnoringASCIICase($0.name, name) }
    }

    /// The first value of `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        for field in fields where HTTPHeaders.equalsIgnoringASCIICase(field.name, name) {
            return field.value
        }
        return nil
    }

    /// Every value of `name` (case-insensitive), in wire order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { HTTPHeaders.equalsIgnoringASCIICase($0.name, name) ? $0.value : nil }
    }

    /// Whether any field is named `name`.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// ASCII case-insensitive comparison of two strings' UTF-8 bytes (no allocation).
    public static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                guard pa.count == pb.count else { return false }
                for i in 0..<pa.count where ASCII.lower(pa[i]) != ASCII.lower(pb[i]) { return false }
                return true
            }
        }
    }
}
