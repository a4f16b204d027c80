/// A parsed JSON value (RFC 8259).
///
/// Numbers keep integer exactness: a literal without fraction or exponent that fits in `Int64` is
/// `.int`; every other number is `.double` (which is `±infinity` when the literal overflows a Double,
/// e.g. `1e400`, so request decoders can name the offending field). Objects keep their members in
/// document order, duplicates included; `self[key]` returns the last duplicate, as Python's `json` does.
/// The enum is not `indirect`: arrays and objects already live in heap buffers, so scalars cost no allocation.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for i in a.indices where a[i].key != b[i].key || a[i].value != b[i].value { return false }
            return true
        default: return false
        }
    }

    /// The member named `key` of an object (the last one if the key repeats); nil for non-objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        var i = members.count - 1
        while i >= 0 {
            if members[i].key == key { return members[i].value }
            i -= 1
        }
        return nil
    }

    /// The element at `index` of an array; nil for non-arrays or out-of-range indices.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The JSON type name used in error messages ("null", "boolean", "integer", "number", "string", "array", "object").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The string payload, or nil.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer payload (`.int` only), or nil.
    public var intValue: Int64? { if case .int(let i) = self { return i } else { return nil } }
    /// The number as a Double (`.int` or `.double`), or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// The boolean payload, or nil.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The elements of an array, or nil.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The members of an object in document order, or nil.
    public var objectValue: [(key: String, value: JSONValue)]? { if case .object(let m) = self { return m } else { return nil } }
}
