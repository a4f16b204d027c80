/// `stream_options` (vLLM `StreamOptions`).
public struct StreamOptions: Sendable, Equatable {
    /// `include_usage`: send a final chunk with `"choices": []` and `usage`. Default false.
    public var includeUsage: Bool
    /// `continuous_usage_stats`: every chunk carries running `usage` totals; honoured only with
    /// `includeUsage` (vLLM `should_include_usage`). Default false.
    public var continuousUsageStats: Bool

    public init(includeUsage: Bool = false, continuousUsageStats: Bool = false) {
        self.includeUsage = includeUsage
        self.continuousUsageStats = continuousUsageStats
    }

    /// True when each chunk should carry usage (`includeUsage && continuousUsageStats`).
    public var wantsContinuousUsage: Bool { includeUsage && continuousUsageStats }

    /// Decodes the `stream_options` value (`null` means defaults; unknown keys such as
    /// `include_obfuscation` are ignored). `stream` is the request's `stream` flag: a non-empty
    /// `stream_options` with `stream` false is a 400, as in vLLM.
    static func decode(_ v: JSONValue?, stream: Bool) throws(APIError) -> StreamOptions {
        guard let v, v != .null else { return StreamOptions() }
        let members = try FieldDecoding.object(v, "stream_options")
        if !stream && !members.isEmpty {
            throw APIError.invalidRequest("Stream options can only be defined when `stream=True`.",
                                          param: "stream_options")
        }
        var o = StreamOptions()
        for (key, value) in members {
            switch key {
            case "include_usage":
                o.includeUsage = try FieldDecoding.bool(value, "stream_options.include_usage", default: false)
            case "continuous_usage_stats":
                o.continuousUsageStats = try FieldDecoding.bool(value, "stream_options.continuous_usage_stats",
                                                                default: false)
            default: break
            }
        }
        return o
    }
}
