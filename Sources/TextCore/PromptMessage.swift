/// One chat message as the engine sees it: a role and an ordered list of text and image parts.
public struct PromptMessage: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        /// An image whose expanded placeholder is `tokenCount` `<|image_pad|>` tokens
        /// (`grid_t * grid_h * grid_w / merge_size²`).
        case image(tokenCount: Int)
    }

    public var role: String
    public var parts: [Part]

    public init(role: String, parts: [Part]) {
        self.role = role
        self.parts = parts
    }

    public init(role: String, text: String) {
        self.init(role: role, parts: [.text(text)])
    }
}
