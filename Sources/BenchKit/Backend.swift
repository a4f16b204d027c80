/// Request API shape (`--backend`).
public enum Backend: String, Sendable, CaseIterable {
    /// `/v1/completions` (`openai`, `vllm`).
    case openai, vllm
    /// `/v1/chat/completions`.
    case openaiChat = "openai-chat"

    public var isChat: Bool { self == .openaiChat }
}
