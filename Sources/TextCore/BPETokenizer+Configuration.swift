extension BPETokenizer {
    /// `normalizer`: none, `NFC`, or a `Sequence` of just `NFC`. Returns whether NFC applies.
    static func checkNormalizer(_ normalizer: TokenizerJSON.Component?) throws(LoadError) -> Bool {
        guard let normalizer else { return false }
        let types = normalizer.flattened.map(\.type)
        switch types {
        case []: return false
        case ["NFC"]: return true
        default: throw .unsupported("normalizer \(types) (only NFC is supported)")
        }
    }

    /// `pre_tokenizer`: `Split(Qwen2's regex, Isolated)` then `ByteLevel(add_prefix_space: false, use_regex: false)`.
    static func checkPreTokenizer(_ preTokenizer: TokenizerJSON.Component?) throws(LoadError) -> PreTokenizer {
        let parts = preTokenizer?.flattened ?? []
        guard parts.count == 2, parts[0].type == "Split", parts[1].type == "ByteLevel" else {
            throw .unsupported("pre_tokenizer \(parts.map(\.type)) (expected Split then ByteLevel, as Qwen2's)")
        }
        let split = parts[0], byteLevel = parts[1]
        guard split.pattern == .regex(PreTokenizer.qwen2Pattern) else {
            throw .unsupported("the Split pattern is not Qwen2's")
        }
        guard split.behavior?.lowercased() == "isolated", split.invert != true else {
            throw .unsupported("Split behavior \(split.behavior ?? "nil") invert \(split.invert ?? false) (expected Isolated)")
        }
        guard byteLevel.addPrefixSpace != true, byteLevel.useRegex != true else {
            throw .unsupported("ByteLevel with add_prefix_space or use_regex")
        }
        return PreTokenizer()
    }

    /// `model`: BPE without dropout, word prefixes or suffixes, byte fallback or `ignore_merges`.
    static func checkModel(_ model: TokenizerJSON.Model) throws(LoadError) {
        guard model.type == nil || model.type == "BPE" else { throw .unsupported("model type \(model.type ?? "")") }
        guard model.dropout == nil || model.dropout == 0 else { throw .unsupported("BPE dropout") }
        guard (model.continuingSubwordPrefix ?? "").isEmpty, (model.endOfWordSuffix ?? "").isEmpty else {
            throw .unsupported("continuing_subword_prefix or end_of_word_suffix")
        }
        guard model.byteFallback != true else { throw .unsupported("byte_fallback") }
        guard model.ignoreMerges != true else { throw .unsupported("ignore_merges") }
    }
}
