/// One chat message. String content becomes a single `.text` part; `null` or missing content is
/// an empty part list (assistant messages with tool calls).
public struct ChatMessage: Sendable, Equatable {
    /// "system", "developer", "user", "assistant", "tool" or "function".
    public var role: String
    public var content: [ContentPart]
    /// Optional `name` field.
    public var name: String?

    public init(role: String, content: [ContentPart], name: String? = nil) {
        self.role = role
        self.content = content
        self.name = name
    }

    /// Convenience: a message with one text part.
    public init(role: String, text: String) {
        self.init(role: role, content: [.text(text)])
    }

    /// The roles accepted (OpenAI's plus the deprecated "function").
    public static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    /// Number of image parts.
    public var imageCount: Int {
        var n = 0
        for part in content { if case .imageURL = part { n += 1 } }
        return n
    }

    /// Decodes a `messages` array (must be non-empty).
    static func decodeList(_ v: JSONValue?, field: String = "messages") throws(APIError) -> [ChatMessage] {
        guard let v, v != .null else {
            throw APIError.invalidRequest("`\(field)` is required.", param: field)
        }
        let items = try FieldDecoding.array(v, field)
        guard !items.isEmpty else {
            throw APIError.invalidRequest("`\(field)` must contain at least one message.", param: field)
        }
        var out: [ChatMessage] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            out.append(try decode(item, path: "\(field)[\(i)]"))
        }
        return out
    }

    static func decode(_ v: JSONValue, path: @autoclosure () -> String) throws(APIError) -> ChatMessage {
        let members = try FieldDecoding.object(v, path())
        var role: String?
        var content: JSONValue = .null
        var name: String?
        for (key, value) in members {
            switch key {
            case "role": role = try FieldDecoding.optionalString(value, path() + ".role")
            case "content": content = value
            case "name": name = try FieldDecoding.optionalString(value, path() + ".name")
            default: break
            }
        }
        guard let role else {
            throw APIError.invalidRequest("`\(path()).role` is required.", param: path() + ".role")
        }
        guard roles.contains(role) else {
            throw APIError.invalidRequest("`\(path()).role` must be one of system, developer, user, assistant, tool; "
                                              + "got \"\(role)\".", param: path() + ".role")
        }
        var parts: [ContentPart] = []
        switch content {
        case .null: break
        case .string(let s): parts = [.text(s)]
        case .array(let items):
            parts.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                parts.append(try ContentPart.decode(item, path: path() + ".content[\(i)]"))
            }
        default:
            throw FieldDecoding.typeError(path() + ".content", expected: "a string or an array of content parts",
                                          got: content)
        }
        return ChatMessage(role: role, content: parts, name: name)
    }
}
