import TextCore

/// Settings of the OpenAI-compatible application layer. Defaults in parentheses.
public struct AppConfiguration: Sendable {
    /// Names accepted in `model` and listed by `/v1/models`; the first is used in responses
    /// (`--served-model-name`, default the model directory's last path component).
    public var servedModelNames: [String]
    /// `root` of every `/v1/models` entry: a Hugging Face id or local path a client can load a
    /// tokenizer from (`--model-root`, "Qwen/Qwen2.5-VL-7B-Instruct").
    public var modelRoot: String
    /// Context window: prompt (image tokens included) + output (`--max-model-len`, 32768).
    public var maxModelLen: Int
    /// Most images per request (`--limit-mm-per-prompt '{"image": N}'`, 999 as vLLM; 0 disables images).
    public var maxImagesPerPrompt: Int
    /// Accepted bearer tokens (`--api-key`); empty = no authentication.
    public var apiKeys: [String]
    public var media: MediaOptions
    /// Size of the image cache in GiB (`--mm-processor-cache-gb`, vLLM's flag and default: 4; 0 disables). It holds
    /// preprocessed `pixel_values` and encoder outputs by image content (`ImageCache`).
    public var mmProcessorCacheGiB: Double
    /// `Retry-After` seconds sent with 503s (1).
    public var retryAfterSeconds: Int
    /// Reported by `/version`.
    public var version: String
    /// `created` of the model cards (Unix seconds; server start).
    public var createdAt: Int
    /// Tokenizer of prompts, `/tokenize` and `/detokenize` (the stub; `VLServer.load` sets the model's
    /// `tokenizer.json` when there is one).
    public var tokenizer: TextTokenizer = .stub

    public init(servedModelNames: [String] = ["qwen2.5-vl-7b"], modelRoot: String = "Qwen/Qwen2.5-VL-7B-Instruct",
                maxModelLen: Int = 32768, maxImagesPerPrompt: Int = 999, apiKeys: [String] = [],
                media: MediaOptions = MediaOptions(), mmProcessorCacheGiB: Double = AppConfiguration.defaultMMProcessorCacheGiB,
                retryAfterSeconds: Int = 1, version: String = VLServeVersion.current, createdAt: Int = 0) {
        self.servedModelNames = servedModelNames.isEmpty ? ["qwen2.5-vl-7b"] : servedModelNames
        self.modelRoot = modelRoot
        self.maxModelLen = max(1, maxModelLen)
        self.maxImagesPerPrompt = max(0, maxImagesPerPrompt)
        self.apiKeys = apiKeys
        self.media = media
        self.mmProcessorCacheGiB = mmProcessorCacheGiB.isFinite ? max(0, mmProcessorCacheGiB) : 0
        self.retryAfterSeconds = retryAfterSeconds
        self.version = version
        self.createdAt = createdAt
    }

    /// vLLM's default `--mm-processor-cache-gb`: 4 GiB.
    public static let defaultMMProcessorCacheGiB = 4.0

    /// The name put in responses.
    public var primaryModelName: String { servedModelNames[0] }
}
