import Foundation
import TextCore

/// vlbench's local token counts (used when the server has no `/tokenize`) come from the model's
/// `tokenizer.json` when the tokenizer id names a local directory with one, else from VLServe's stub
/// `Tokenizer`; either way, against a `vlserve` with the same tokenizer they agree with the server's.
extension Tokenizer {
    /// Number of tokens of `text` (special-token strings count as one each, as in Hugging Face
    /// tokenizers; no BOS/EOS is added, like Qwen2's).
    public func tokenCount(_ text: String) -> Int { encode(text).count }

    /// The ids random prompts are drawn from with the stub: every space-prefixed word of `Vocabulary`
    /// (ids 257, 259, ...). Any sequence of them decodes to `" w1 w2 ..."` and re-encodes to the
    /// same number of tokens, so random prompts have exactly their intended local length.
    public static var randomPromptIDs: [Int32] { TextTokenizer.stub.randomTextIDs }
}

extension TextTokenizer {
    /// The tokenizer `vllm bench serve` would load for `id` (`--tokenizer`, else `--model`, else the
    /// server's model root), as far as vlbench can: a local directory with a `tokenizer.json`, or such a
    /// file itself. Anything else (a Hugging Face repo id, a directory without one) gives the stub.
    public static func local(_ id: String) throws(BenchmarkError) -> TextTokenizer {
        var isDirectory: ObjCBool = false
        guard !id.isEmpty, FileManager.default.fileExists(atPath: id, isDirectory: &isDirectory) else { return .stub }
        do {
            if isDirectory.boolValue { return try load(directory: id) ?? .stub }
            guard (id as NSString).lastPathComponent == fileName else { return .stub }
            return .huggingFace(try BPETokenizer(contentsOf: id), path: id)
        } catch {
            throw BenchmarkError("--tokenizer \(id): \(error)")
        }
    }
}
