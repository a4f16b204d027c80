/// One part of a chat message's content (OpenAI `ChatCompletionContentPartParam`; vLLM `MM_PARSER_MAP`).
public enum ContentPart: Sendable, Equatable {
    /// `{"type": "text", "text": ...}` (also a type-less `{"text": ...}`, as vLLM accepts).
    case text(String)
    /// `{"type": "image_url", "image_url": {"url": ..., "detail": ...}}`; `image_url` may also be a bare
    /// string, and `{"type": "input_image", "image_url": ...}` and a type-less `{"image_url": ...}` are
    /// accepted like vLLM. `url` is not interpreted here (data:, http(s):, file: are the media loader's job).
    case imageURL(url: String, detail: String?)

    /// Decodes one element of a `content` array; `path` is e.g. "messages[0].content[1]".
    static func decode(_ v: JSONValue, path: @autoclosure () -> String) throws(APIError) -> ContentPart {
        let members = try FieldDecoding.object(v, path())
        var type: String?
        var text: JSONValue?
        var image: JSONValue?
        for (key, value) in members {
            switch key {
            case "type": type = try FieldDecoding.optionalString(value, path() + ".type")
            case "text": text = value
            case "image_url": image = value
            default: break
            }
        }
        let kind = type ?? (image != nil ? "image_url" : (text != nil ? "text" : ""))
        switch kind {
        case "text", "input_text":
            guard let text else {
                throw APIError.invalidRequest("`\(path()).text` is required for a text part.", param: path() + ".text")
            }
            return .text(try FieldDecoding.string(text, path() + ".text"))
        case "image_url", "input_image":
            guard let image, image != .null else {
                throw APIError.invalidRequest("`\(path()).image_url` is required for an image_url part.",
                                              param: path() + ".image_url")
            }
            return try decodeImage(image, path: path() + ".image_url")
        case "":
            throw APIError.invalidRequest("`\(path()).type` is required (\"text\" or \"image_url\").",
                                          param: path() + ".type")
        case "input_audio", "audio_url", "video_url", "image_embeds", "image_pil", "file", "input_file",
             "refusal", "audio_embeds":
            throw APIError.invalidRequest("Content part type \"\(kind)\" is not supported by this server; "
                                              + "only \"text\" and \"image_url\" are.", param: path() + ".type")
        default:
            throw APIError.invalidRequest("Unknown content part type \"\(kind)\"; expected \"text\" or \"image_url\".",
                                          param: path() + ".type")
        }
    }

    static func decodeImage(_ v: JSONValue, path: @autoclosure () -> String) throws(APIError) -> ContentPart {
        var url: String?
        var detail: String?
        switch v {
        case .string(let s):
            url = s
        case .object(let members):
            for (key, value) in members {
                switch key {
                case "url": url = try FieldDecoding.optionalString(value, path() + ".url")
                case "detail": detail = try FieldDecoding.optionalString(value, path() + ".detail")
                default: break
                }
            }
            guard url != nil else {
                throw APIError.invalidRequest("`\(path()).url` is required.", param: path() + ".url")
            }
        default:
            throw FieldDecoding.typeError(path(), expected: "an object with a `url` (or a URL string)", got: v)
        }
        guard let url, !url.isEmpty else {
            throw APIError.invalidRequest("`\(path()).url` must not be empty.",
                                          param: path() + (v.stringValue == nil ? ".url" : ""))
        }
        if let detail, detail != "auto", detail != "low", detail != "high" {
            throw APIError.invalidRequest("`\(path()).detail` must be \"auto\", \"low\" or \"high\", got \"\(detail)\".",
                                          param: path() + ".detail")
        }
        return .imageURL(url: url, detail: detail)
    }
}
