import OpenAIAPI
import TextCore

/// The `random` dataset (vllm-bench-compat.md §5.1, latest): runs of consecutive vocabulary ids,
/// lengths uniform in [floor(L(1−r)), ceil(L(1+r))], decode → re-encode to the exact length.
public struct RandomDataset: Sendable {
    public var inputLen: Int = 1024
    public var outputLen: Int = 128
    public var rangeRatio = RangeRatio(input: 0, output: 0)
    public var prefixLen: Int = 0
    public var requestIDPrefix: String = ""

    public init() {}

    /// Draws `count` requests. The rng draws, in order: N input lengths, N output lengths,
    /// N offsets, then the prefix; random-mm continues with the same rng. Token ids index
    /// `tokenizer.randomTextIDs`: a model tokenizer's whole base vocabulary, as upstream, or the stub's
    /// space-prefixed words. Neither tokenizer adds special tokens, so the input length is not reduced for them.
    public func sample(count: Int, tokenizer: TextTokenizer,
                       rng: inout SeededRandom) throws(DatasetError) -> [SampleRequest] {
        let realIn = max(0, inputLen)
        let inLo = Int((Double(realIn) * (1 - rangeRatio.input)).rounded(.down))
        let inHi = Int((Double(realIn) * (1 + rangeRatio.input)).rounded(.up))
        let outLo = max(1, Int((Double(outputLen) * (1 - rangeRatio.output)).rounded(.down)))
        let outHi = max(1, Int((Double(outputLen) * (1 + rangeRatio.output)).rounded(.up)))
        guard prefixLen + inLo >= 1 else {
            throw DatasetError("--random-input-len \(inputLen) with range ratio \(rangeRatio.input) gives empty prompts")
        }
        guard outputLen >= 1 else { throw DatasetError("--random-output-len must be ≥ 1, got \(outputLen)") }
        let inLens = (0..<count).map { _ in rng.int(in: inLo, inHi) }
        let outLens = (0..<count).map { _ in rng.int(in: outLo, outHi) }
        let vocab = tokenizer.randomTextIDs
        let offsets = (0..<count).map { _ in rng.int(in: 0, vocab.count - 1) }
        let prefix = (0..<prefixLen).map { _ in vocab[rng.int(in: 0, vocab.count - 1)] }
        var out: [SampleRequest] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var ids = prefix
            ids.reserveCapacity(prefixLen + inLens[i])
            for k in 0..<inLens[i] { ids.append(vocab[(offsets[i] + i + k) % vocab.count]) }
            let target = prefixLen + inLens[i]
            // Decode → re-encode loop, as upstream (the first encode already has `target` tokens).
            var prompt = Self.decode(ids, tokenizer)
            for _ in 0..<10 {
                let enc = tokenizer.encode(prompt)
                if enc.count == target { break }
                if enc.count < target {
                    ids = enc + (0..<(target - enc.count)).map { _ in vocab[rng.int(in: 0, vocab.count - 1)] }
                } else {
                    ids = Array(enc.prefix(target))
                }
                prompt = Self.decode(ids, tokenizer)
            }
            out.append(SampleRequest(prompt: prompt, promptLen: tokenizer.tokenCount(prompt),
                                     expectedOutputLen: outLens[i], requestID: requestIDPrefix + String(i)))
        }
        return out
    }

    /// Text of `ids` (ids from `encode` or `randomTextIDs` are always known; others decode to "").
    static func decode(_ ids: [Int32], _ tokenizer: TextTokenizer) -> String {
        (try? tokenizer.decode(ids)) ?? ""
    }
}
