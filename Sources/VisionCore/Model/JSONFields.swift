import Foundation

/// Typed reads of the keys of one JSON object, for the `init(from:)` of a `Decodable` type decoded by
/// Foundation's `JSONDecoder` (VisionCore's one JSON path: `config.json`, `preprocessor_config.json`, the
/// safetensors header and `model.safetensors.index.json`).
///
/// An absent key or a `null` value reads as nil; a value of another type throws `JSONFieldError.wrongType`,
/// never a default. Integers must be exact and fit `Int`: `4.0` and `1e2` read as 4 and 100, while `4.5`,
/// `true`, `"4"` and `1e400` throw. Use a `JSONFields` only inside the `init(from:)` that made it.
struct JSONFields {
    /// A key that is data (a tensor name, a config field), not a fixed enum case.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private let container: KeyedDecodingContainer<Key>
    /// The dotted path of this object in messages ("vision_config"); nil for the top level.
    let path: String?

    /// The top-level value of `decoder`, which must be a JSON object (else `JSONFieldError.notAnObject(path: nil)`).
    init(_ decoder: any Decoder) throws(JSONFieldError) {
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch {
            throw .notAnObject(path: nil)
        }
        path = nil
    }

    private init(container: KeyedDecodingContainer<Key>, path: String) {
        self.container = container
        self.path = path
    }

    /// Every key of the object, in no particular order (one entry per distinct key).
    var keys: [String] { container.allKeys.map(\.stringValue) }

    /// `key` prefixed with this object's path: "vision_config.depth".
    func fullKey(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

    private func read<T: Decodable>(_ type: T.Type, _ key: String, expected: String) throws(JSONFieldError) -> T? {
        do {
            return try container.decodeIfPresent(type, forKey: Key(key))
        } catch {
            throw .wrongType(key: fullKey(key), expected: expected, found: found(key))
        }
    }

    /// An exact integer, or nil if absent or null.
    func int(_ key: String) throws(JSONFieldError) -> Int? { try read(Int.self, key, expected: "an integer") }

    /// An array of exact integers, or nil if absent or null.
    func intArray(_ key: String) throws(JSONFieldError) -> [Int]? {
        try read([Int].self, key, expected: "an array of integers")
    }

    /// A number, or nil if absent or null.
    func double(_ key: String) throws(JSONFieldError) -> Double? { try read(Double.self, key, expected: "a number") }

    /// An array of numbers, or nil if absent or null.
    func doubleArray(_ key: String) throws(JSONFieldError) -> [Double]? {
        try read([Double].self, key, expected: "an array of numbers")
    }

    /// A string, or nil if absent or null.
    func string(_ key: String) throws(JSONFieldError) -> String? { try read(String.self, key, expected: "a string") }

    /// An array of strings, or nil if absent or null.
    func stringArray(_ key: String) throws(JSONFieldError) -> [String]? {
        try read([String].self, key, expected: "an array of strings")
    }

    /// The nested object at `key`, or nil if absent or null; any other value throws `.notAnObject`.
    func object(_ key: String) throws(JSONFieldError) -> JSONFields? {
        let k = Key(key)
        guard container.contains(k), (try? container.decodeNil(forKey: k)) != true else { return nil }
        do {
            return JSONFields(container: try container.nestedContainer(keyedBy: Key.self, forKey: k), path: fullKey(key))
        } catch {
            throw .notAnObject(path: fullKey(key))
        }
    }

    /// A short description of the value at `key` for messages: `1.5`, `"many"`, `true`, `null`, `an array`,
    /// `an object` or `absent`.
    func found(_ key: String) -> String {
        let k = Key(key)
        guard container.contains(k) else { return "absent" }
        if (try? container.decodeNil(forKey: k)) == true { return "null" }
        if let b = try? container.decode(Bool.self, forKey: k) { return "\(b)" }
        if let i = try? container.decode(Int.self, forKey: k) { return "\(i)" }
        if let d = try? container.decode(Double.self, forKey: k) { return "\(d)" }
        if let s = try? container.decode(String.self, forKey: k) {
            return s.count > 40 ? "\"\(s.prefix(40))…\"" : "\"\(s)\""
        }
        if (try? container.nestedUnkeyedContainer(forKey: k)) != nil { return "an array" }
        if (try? container.nestedContainer(keyedBy: Key.self, forKey: k)) != nil { return "an object" }
        return "a number out of range"
    }

    /// What `JSONDecoder` says about bytes that are not JSON, for error messages.
    static func describe(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        guard let underlying = context.underlyingError else { return context.debugDescription }
        return "\(context.debugDescription) \(underlying)"
    }
}
