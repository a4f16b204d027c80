import OpenAIAPI

/// Builds request bodies exactly as `endpoint_request_func.py` (latest) does
/// (vllm-bench-compat.md §4.1).
public struct RequestBuilder: Sendable {
    public var backend: Backend
    public var model: String
    public var ignoreEOS: Bool
    /// Sampling flags merged with `--extra-body` (extra-body wins); shallow-merged last.
    public var extraBody: [(key: String, value: JSONValue)]
    /// Completions only: `logprobs` (null when unset).
    public var logprobs: Int?

    public init(backend: Backend, model: String, ignoreEOS: Bool, extraBody: [(key: String, value: JSONValue)] = [], logprobs: Int? = nil) {
        self.backend = backend
        self.model = model
        self.ignoreEOS = ignoreEOS
        self.extraBody = extraBody
        self.logprobs = logprobs
    }

    /// The JSON body for `r`.
    public func body(_ r: SampleRequest) -> JSONValue {
        var p: JSONValue
        if backend.isChat {
            var content: [JSONValue] = [.object([("type", .string("text")), ("text", .string(r.prompt))])]
            for u in r.imageURLs {
                content.append(.object([("type", .string("image_url")), ("image_url", .object([("url", .string(u))]))]))
            }
            p = .object([
                ("model", .string(model)),
                ("messages", .array([.object([("role", .string("user")), ("content", .array(content))])])),
                ("max_completion_tokens", .int(r.expectedOutputLen)),
                ("stream", .bool(true)),
                ("stream_options", .object([("include_usage", .bool(true))])),
            ])
        } else {
            p = .object([
                ("model", .string(model)),
                ("prompt", .string(r.prompt)),
                ("repetition_penalty", .double(1.0)),
                ("max_tokens", .int(r.expectedOutputLen)),
                ("logprobs", logprobs.map { .int($0) } ?? .null),
                ("stream", .bool(true)),
                ("stream_options", .object([("include_usage", .bool(true))])),
            ])
        }
        if ignoreEOS { p = p.setting("ignore_eos", .bool(true)) }
        for (k, v) in extraBody { p = p.setting(k, v) }
        return p
    }

    /// The compact JSON bytes of `body(r)`, sized for its prompt and image data URLs.
    public func bodyBytes(_ r: SampleRequest) -> [UInt8] {
        JSONWriter.body(body(r), capacity: 512 + r.prompt.utf8.count + r.imageURLs.reduce(0) { $0 + $1.utf8.count })
    }

    /// Merges sampling flags and `--extra-body` (a JSON object) into one ordered list; extra-body wins.
    public static func mergeExtraBody(sampling: [(key: String, value: JSONValue)], extraBodyJSON: String?) throws(DatasetError) -> [(key: String, value: JSONValue)] {
        var merged = JSONValue.object(sampling)
        if let s = extraBodyJSON {
            guard let j = try? JSONParser.parse(s), let o = j.objectValue else {
                throw DatasetError("--extra-body must be a JSON object, got '\(s)'")
            }
            for (k, v) in o { merged = merged.setting(k, v) }
        }
        return merged.objectValue ?? []
    }
}
