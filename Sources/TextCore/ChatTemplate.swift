/// Qwen2.5-VL's chat template (the checkpoints' `chat_template.json`; qwen-vision.md §1.10),
/// producing token ids directly:
///
///     <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n      (only if the first message is not system)
///     <|im_start|>{role}\n{parts}<|im_end|>\n                           (each message)
///     <|im_start|>assistant\n                                            (if addGenerationPrompt)
///
/// An image part renders as `<|vision_start|>` + `<|image_pad|>` × tokenCount + `<|vision_end|>`, as
/// `Qwen2_5_VLProcessor` expands it. The special tokens are the tokenizer's own (its added tokens' ids).
/// Since a tokenizer cuts added tokens out of the text before anything else, encoding each run of text
/// between two special tokens on its own (`{role}\n{text}`, `\n`, ...) gives exactly the ids of encoding
/// the whole rendered text, which is what vLLM does; so with a model's `tokenizer.json` the prompt's
/// length equals the `tokenizers` library's count for the templated text.
public struct ChatTemplate: Sendable {
    public static let defaultSystemPrompt = "You are a helpful assistant."

    public let tokenizer: TextTokenizer
    /// Ids of `<|im_start|>`, `<|im_end|>`, `<|vision_start|>`, `<|image_pad|>`, `<|vision_end|>` (one id each
    /// with a Qwen tokenizer; their text's ids otherwise).
    private let imStart: [Int32]
    private let imEnd: [Int32]
    private let visionStart: [Int32]
    private let imagePad: [Int32]
    private let visionEnd: [Int32]
    /// Pre-tokenised fixed pieces: `<|im_end|>\n`, the default system turn and the generation prompt.
    private let turnEnd: [Int32]
    private let defaultSystemTurn: [Int32]
    private let generationPrompt: [Int32]

    public init(tokenizer: TextTokenizer = .stub) {
        self.tokenizer = tokenizer
        imStart = tokenizer.encode("<|im_start|>")
        imEnd = tokenizer.encode("<|im_end|>")
        visionStart = tokenizer.encode("<|vision_start|>")
        imagePad = tokenizer.encode("<|image_pad|>")
        visionEnd = tokenizer.encode("<|vision_end|>")
        turnEnd = imEnd + tokenizer.encode("\n")
        generationPrompt = imStart + tokenizer.encode("assistant\n")
        defaultSystemTurn = imStart + tokenizer.encode("system\n" + Self.defaultSystemPrompt) + turnEnd
    }

    /// Ids that end a turn (`<|im_end|>\n`); `continue_final_message` drops them from the last turn.
    public var turnEndCount: Int { turnEnd.count }

    /// Prompt token ids for `messages`.
    public func render(_ messages: [PromptMessage], addGenerationPrompt: Bool = true) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(64 + messages.reduce(0) { $0 + $1.estimatedTokens })
        if messages.first?.role != "system" { ids.append(contentsOf: defaultSystemTurn) }
        for message in messages { appendTurn(role: message.role, parts: message.parts, into: &ids) }
        if addGenerationPrompt { ids.append(contentsOf: generationPrompt) }
        return ids
    }

    /// The same layout as text (image pads collapsed to one `<|image_pad|>`), for logs and `/tokenize`.
    public func renderText(_ messages: [PromptMessage], addGenerationPrompt: Bool = true) -> String {
        var text = ""
        func turn(_ role: String, _ parts: [PromptMessage.Part]) {
            text += "<|im_start|>\(role)\n"
            for part in parts {
                switch part {
                case .text(let value): text += value
                case .image: text += "<|vision_start|><|image_pad|><|vision_end|>"
                }
            }
            text += "<|im_end|>\n"
        }
        if messages.first?.role != "system" { turn("system", [.text(Self.defaultSystemPrompt)]) }
        for message in messages { turn(message.role, message.parts) }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }

    private func appendTurn(role: String, parts: [PromptMessage.Part], into ids: inout [Int32]) {
        ids.append(contentsOf: imStart)
        // The text run since the last special token: "{role}\n" and the text parts up to an image.
        var run = role + "\n"
        for part in parts {
            switch part {
            case .text(let text):
                run += text
            case .image(let tokenCount):
                tokenizer.encode(run, into: &ids)
                run = ""
                ids.append(contentsOf: visionStart)
                if imagePad.count == 1 {
                    ids.append(contentsOf: repeatElement(imagePad[0], count: tokenCount))
                } else {
                    for _ in 0..<tokenCount { ids.append(contentsOf: imagePad) }
                }
                ids.append(contentsOf: visionEnd)
            }
        }
        tokenizer.encode(run, into: &ids)
        ids.append(contentsOf: turnEnd)
    }
}

extension PromptMessage {
    var estimatedTokens: Int {
        parts.reduce(4) { total, part in
            switch part {
            case .text(let text): total + text.utf8.count / 4 + 1
            case .image(let count): total + count + 2
            }
        }
    }
}
