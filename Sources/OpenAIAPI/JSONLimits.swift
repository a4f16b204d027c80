/// Resource limits applied by `JSONParser`. Every limit turns hostile input into a `JSONParseError`
/// rather than unbounded memory or recursion.
public struct JSONLimits: Sendable, Equatable {
    /// Maximum nesting of arrays and objects (the top-level container is depth 1). Default 64.
    public var maxDepth: Int
    /// Maximum length of one string, in UTF-8 bytes after unescaping. Default 32 MiB.
    public var maxStringBytes: Int
    /// Maximum length of one number literal, in bytes. Default 64.
    public var maxNumberBytes: Int
    /// Maximum number of values (scalars, arrays and objects) in one document. Default 1,048,576.
    public var maxValues: Int

    public init(maxDepth: Int = 64, maxStringBytes: Int = 32 << 20, maxNumberBytes: Int = 64,
                maxValues: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberBytes = maxNumberBytes
        self.maxValues = maxValues
    }

    /// The defaults used for request bodies.
    public static let `default` = JSONLimits()
}
