/// Qwen2.5-VL's chat template (the checkpoints' `chat_template.json`; qwen-vision.md §1.10),
/// producing token ids directly:
///
///     <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n      (only if the first message is not system)
///     <|im_start|>{role}\n{parts}<|im_end|>\n                           (each message)
///     <|im_start|>assistant\n                                            (if addGenerationPrompt)
///
/// An image part renders as `<|vision_start|>` + `<|image_pad|>` × tokenCount + `<|vision_end|>`.
/// Text segments are tokenised one by one with `Tokenizer`.
public struct ChatTemplate: Sendable {
    public static let defaultSystemPrompt = "You are a helpful assistant."

    public let tokenizer: Tokenizer
    /// Pre-tokenised fixed pieces: the default system turn, `<|im_start|>{role}\n` for the usual roles,
    /// `<|im_end|>\n` and the generation prompt (the same ids `appendTurn` would produce).
    private let defaultSystemTurn: [Int32]
    private let roleHeaders: [String: [Int32]]
    private let turnEnd: [Int32]
    private let generationPrompt: [Int32]

    public init(tokenizer: Tokenizer = Tokenizer()) {
        self.tokenizer = tokenizer
        var headers: [String: [Int32]] = [:]
        for role in ["system", "developer", "user", "assistant", "tool"] {
            headers[role] = [SpecialTokens.imStart] + tokenizer.encode(role + "\n", parseSpecialTokens: false)
        }
        roleHeaders = headers
        turnEnd = [SpecialTokens.imEnd] + tokenizer.encode("\n")
        generationPrompt = [SpecialTokens.imStart] + tokenizer.encode("assistant\n")
        defaultSystemTurn = headers["system"]! + tokenizer.encode(Self.defaultSystemPrompt) + turnEnd
    }

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
        if let header = roleHeaders[role] {
            ids.append(contentsOf: header)
        } else {
            ids.append(SpecialTokens.imStart)
            tokenizer.encode(role + "\n", parseSpecialTokens: false, into: &ids)
        }
        for part in parts {
            switch part {
            case .text(let text):
                tokenizer.encode(text, into: &ids)
            case .image(let tokenCount):
                ids.append(SpecialTokens.visionStart)
                ids.append(contentsOf: repeatElement(SpecialTokens.imagePad, count: tokenCount))
                ids.append(SpecialTokens.visionEnd)
            }
        }
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
