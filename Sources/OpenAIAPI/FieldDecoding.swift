#if canImport(Glibc)
import Glibc  // libm: Double rounding in integer-field checks
#endif

/// Typed field readers used by the request decoders. Each names the field's path in its 400 error
/// (`param`) and says what was expected, e.g. "`temperature` must be a number, got string".
/// Paths are autoclosures so they are only built on the error path.
enum FieldDecoding {
    static func typeError(_ path: String, expected: String, got value: JSONValue) -> APIError {
        .invalidRequest("`\(path)` must be \(expected), got \(value.typeName).", param: path)
    }

    static func object(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError)
        -> [(key: String, value: JSONValue)]
    {
        guard case .object(let m) = v else { throw typeError(path(), expected: "an object", got: v) }
        return m
    }

    static func array(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> [JSONValue] {
        guard case .array(let a) = v else { throw typeError(path(), expected: "an array", got: v) }
        return a
    }

    static func string(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> String {
        guard case .string(let s) = v else { throw typeError(path(), expected: "a string", got: v) }
        return s
    }

    /// A string or null.
    static func optionalString(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> String? {
        if case .null = v { return nil }
        return try string(v, path())
    }

    static func bool(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> Bool {
        guard case .bool(let b) = v else { throw typeError(path(), expected: "a boolean", got: v) }
        return b
    }

    /// A boolean; null means `defaultValue`.
    static func bool(_ v: JSONValue, _ path: @autoclosure () -> String, default defaultValue: Bool) throws(APIError)
        -> Bool
    {
        if case .null = v { return defaultValue }
        return try bool(v, path())
    }

    /// An integer that fits in `Int`. Integral doubles (`5.0`) are accepted as pydantic does;
    /// `1.5`, `1e400` and integers beyond 64 bits are rejected with the field's name.
    static func int(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> Int {
        switch v {
        case .int(let i):
            return Int(i)
        case .double(let d):
            guard d.isFinite, d == d.integerPart else {
                throw APIError.invalidRequest("`\(path())` must be an integer, got \(d.isFinite ? "\(d)" : "a number out of range").",
                                              param: path())
            }
            guard let i = Int(exactly: d) else {
                throw APIError.invalidRequest("`\(path())` is out of range: integers must fit in 64 bits.",
                                              param: path())
            }
            return i
        default:
            throw typeError(path(), expected: "an integer", got: v)
        }
    }

    /// An integer or null.
    static func optionalInt(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> Int? {
        if case .null = v { return nil }
        return try int(v, path())
    }

    /// A finite number (integers accepted).
    static func double(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d):
            guard d.isFinite else {
                throw APIError.invalidRequest("`\(path())` is out of range: it must be a finite number.", param: path())
            }
            return d
        default:
            throw typeError(path(), expected: "a number", got: v)
        }
    }

    /// A finite number or null.
    static func optionalDouble(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> Double? {
        if case .null = v { return nil }
        return try double(v, path())
    }

    /// An array of integers.
    static func intArray(_ v: JSONValue, _ path: @autoclosure () -> String) throws(APIError) -> [Int] {
        let a = try array(v, path())
        var out: [Int] = []
        out.reserveCapacity(a.count)
        for (i, e) in a.enumerated() { out.append(try int(e, "\(path())[\(i)]")) }
        return out
    }

    /// Parses a whole body into a JSON object, mapping parse errors to 400.
    static func parseBody(_ body: [UInt8], limits: JSONLimits = .default) throws(APIError)
        -> [(key: String, value: JSONValue)]
    {
        let root: JSONValue
        do {
            root = try JSONParser.parse(body, limits: limits)
        } catch {
            throw APIError.invalidJSON(error)
        }
        guard case .object(let members) = root else {
            throw APIError.invalidRequest("Request body must be a JSON object, got \(root.typeName).")
        }
        return members
    }
}

extension Double {
    /// The value truncated toward zero, computed without libm (finite values only).
    var integerPart: Double {
        if abs(self) >= 4_503_599_627_370_496 { return self }  // 2^52: already integral
        return Double(Int64(self))
    }
}
