/// The prompt of a legacy completion: text, or token ids (openai-api.md §3).
public enum PromptInput: Sendable, Equatable {
    case text(String)
    case tokenIDs([Int])
}
