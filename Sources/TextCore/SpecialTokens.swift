/// Qwen2 / Qwen2.5-VL special tokens and their ids (Qwen2.5-VL-7B-Instruct `config.json`,
/// `tokenizer_config.json`; see qwen-vision.md §1.10).
public enum SpecialTokens {
    public static let endOfText: Int32 = 151643       // <|endoftext|> (bos/pad)
    public static let imStart: Int32 = 151644         // <|im_start|>
    public static let imEnd: Int32 = 151645           // <|im_end|> (eos of the instruct model)
    public static let visionStart: Int32 = 151652     // <|vision_start|>
    public static let visionEnd: Int32 = 151653       // <|vision_end|>
    public static let visionPad: Int32 = 151654       // <|vision_pad|>
    public static let imagePad: Int32 = 151655        // <|image_pad|>
    public static let videoPad: Int32 = 151656        // <|video_pad|>

    /// The end-of-sequence token the stub decoder emits.
    public static let eos: Int32 = imEnd

    /// Qwen2's vocabulary size (`vocab_size` 152064 in the 7B config; the tokenizer has 151665 entries).
    public static let vocabularySize = 152_064

    /// All special tokens with their text, ids 151643...151656.
    public static let all: [(text: String, id: Int32)] = [
        ("<|endoftext|>", 151643), ("<|im_start|>", 151644), ("<|im_end|>", 151645),
        ("<|object_ref_start|>", 151646), ("<|object_ref_end|>", 151647),
        ("<|box_start|>", 151648), ("<|box_end|>", 151649),
        ("<|quad_start|>", 151650), ("<|quad_end|>", 151651),
        ("<|vision_start|>", 151652), ("<|vision_end|>", 151653), ("<|vision_pad|>", 151654),
        ("<|image_pad|>", 151655), ("<|video_pad|>", 151656),
    ]
}
