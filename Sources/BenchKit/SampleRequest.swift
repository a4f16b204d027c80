/// One benchmark request before sending, as vLLM's `SampleRequest`.
public struct SampleRequest: Sendable, Equatable {
    /// Text prompt (the chat text part, or the completions prompt).
    public var prompt: String
    /// Prompt tokens as counted by the client (server `/tokenize` when available); text only.
    public var promptLen: Int
    /// `max_completion_tokens` / `max_tokens` to request.
    public var expectedOutputLen: Int
    /// Image URLs (usually `data:image/jpeg;base64,…`), appended after the text part.
    public var imageURLs: [String]
    /// Sent as `x-request-id`.
    public var requestID: String

    public init(prompt: String, promptLen: Int, expectedOutputLen: Int, imageURLs: [String] = [], requestID: String) {
        self.prompt = prompt
        self.promptLen = promptLen
        self.expectedOutputLen = expectedOutputLen
        self.imageURLs = imageURLs
        self.requestID = requestID
    }
}
