import TextCore

/// vlbench's local token counts (used when the server has no `/tokenize`) come from VLServe's own
/// `Engine.Tokenizer`, so against `vlserve` they agree with the server's.
extension Tokenizer {
    /// Number of tokens of `text` (special-token strings count as one each, as in Hugging Face
    /// tokenizers; no BOS/EOS is added, like Qwen2's).
    public func tokenCount(_ text: String) -> Int { encode(text).count }

    /// The ids random prompts are drawn from: every space-prefixed word of `Vocabulary`
    /// (ids 257, 259, ...). Any sequence of them decodes to `" w1 w2 ..."` and re-encodes to the
    /// same number of tokens, so random prompts have exactly their intended local length.
    public static let randomPromptIDs: [Int32] = (0..<Vocabulary.words.count).map {
        Vocabulary.firstWordID + 2 * Int32($0) + 1
    }
}
