import OpenAIAPI

/// What BenchKit needs from `OpenAIAPI.JSONValue` beyond its own accessors.
extension JSONValue {
    /// The number as an `Int` when it is integral: `.int`, or a `.double` without a fraction and
    /// below 9e18 in magnitude (Python servers may send `1.0e1` for a count); else nil.
    public var integralValue: Int? {
        switch self {
        case .int(let i): return Int(i)
        case .double(let d) where d.rounded() == d && abs(d) < 9e18: return Int(d)
        default: return nil
        }
    }

    /// Python's truthiness of the decoded value (`bool(x)` after `json.loads`): `null`, `false`, `0`, `0.0`,
    /// `""`, `[]` and `{}` are false, everything else true.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    /// A copy of this object with `key` set: the last member named `key` is replaced in place
    /// (the one `self[key]` reads), else the member is appended. Non-objects are returned unchanged.
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let i = members.lastIndex(where: { $0.key == key }) { members[i].value = value } else { members.append((key, value)) }
        return .object(members)
    }

    /// `Int` convenience for building `.int` values.
    public static func int(_ v: Int) -> JSONValue { .int(Int64(v)) }
}

extension JSONWriter {
    /// The compact UTF-8 bytes of `value` (request bodies), with `capacity` bytes reserved.
    static func body(_ value: JSONValue, capacity: Int = 256) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.value(value)
        return w.bytes
    }
}

extension JSONLimits {
    /// For local files the user chose (ShareGPT and JSONL datasets, result files): only nesting
    /// (128 levels; these files use under 10) and number literals (1 KiB) are bounded. A ShareGPT
    /// file holds millions of values, past `JSONLimits.default`'s 1,048,576 made for request bodies.
    static let localFiles = JSONLimits(maxDepth: 128, maxStringBytes: .max, maxNumberBytes: 1024, maxValues: .max)
}
