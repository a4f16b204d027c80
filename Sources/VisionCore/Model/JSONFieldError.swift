/// A JSON value of the wrong type, found by `JSONFields`; each reader maps it to its own error type.
enum JSONFieldError: Error, Equatable {
    /// The value at `path` (nil: the whole document) is not a JSON object.
    case notAnObject(path: String?)
    /// `key` (a dotted path) holds `found` where `expected` ("an integer", "a string", ...) was wanted.
    case wrongType(key: String, expected: String, found: String)
}
