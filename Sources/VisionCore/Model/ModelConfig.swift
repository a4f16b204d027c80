import Foundation

/// The parts of a Qwen2.5-VL `config.json` VLServe uses: identity, special token ids, LLM sizes, and the
/// `vision_config` (see `VisionConfig` for its defaults). Missing top-level keys take the Qwen2.5-VL-7B values.
public struct ModelConfig: Sendable, Equatable {
    /// `model_type` ("qwen2_5_vl").
    public var modelType: String = "qwen2_5_vl"
    /// `architectures` (["Qwen2_5_VLForConditionalGeneration"]).
    public var architectures: [String] = ["Qwen2_5_VLForConditionalGeneration"]
    /// `torch_dtype` (or `dtype` in transformers 5 configs): "bfloat16" for the released weights.
    public var torchDtype: String = "bfloat16"
    /// LLM width (`hidden_size`, top level; 3584 for 7B).
    public var hiddenSize: Int = 3584
    /// LLM layers (`num_hidden_layers`).
    public var numHiddenLayers: Int = 28
    /// `vocab_size` (152064; 151936 for 3B).
    public var vocabSize: Int = 152064
    /// `max_position_embeddings` (128000).
    public var maxPositionEmbeddings: Int = 128000
    public var bosTokenId: Int = 151643
    public var eosTokenId: Int = 151645
    /// `<|vision_start|>` 151652.
    public var visionStartTokenId: Int = 151652
    /// `<|vision_end|>` 151653.
    public var visionEndTokenId: Int = 151653
    /// `<|image_pad|>` 151655 (one per merged 2x2 patch block).
    public var imageTokenId: Int = 151655
    /// `<|video_pad|>` 151656.
    public var videoTokenId: Int = 151656
    public var vision: VisionConfig = VisionConfig()

    public init() {}

    /// Reads and parses `modelDirectory/config.json`.
    public static func load(modelDirectory: String) throws -> ModelConfig {
        let path = (modelDirectory as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelConfigError.missingFile(path)
        }
        return try parse(data, file: path)
    }

    /// Parses the bytes of a `config.json` with `JSONDecoder`; `file` names it in errors. Absent or null keys
    /// take the defaults above; a key of the wrong type or an invalid `vision_config` throws `ModelConfigError`.
    public static func parse(_ data: Data, file: String = "config.json") throws -> ModelConfig {
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(Document.self, from: data).config
        } catch let error as JSONFieldError {
            switch error {
            case .notAnObject(nil):
                throw ModelConfigError.invalidJSON(file: file, message: "top level is not a JSON object")
            case .notAnObject(let key?):
                throw ModelConfigError.invalidValue(file: file, key: key, message: "is not a JSON object")
            case .wrongType(let key, let expected, _):
                throw ModelConfigError.invalidValue(file: file, key: key, message: "must be \(expected)")
            }
        } catch {
            throw ModelConfigError.invalidJSON(file: file, message: JSONFields.describe(error))
        }
        try config.vision.validate(file: file)
        return config
    }

    /// Reads the keys VLServe uses from the top-level object of `config.json`.
    init(fields r: JSONFields) throws {
        self.init()
        modelType = try r.string("model_type") ?? modelType
        architectures = try r.stringArray("architectures") ?? architectures
        torchDtype = try r.string("torch_dtype") ?? r.string("dtype") ?? torchDtype
        let llmHidden = try r.int("hidden_size")
        hiddenSize = llmHidden ?? hiddenSize
        numHiddenLayers = try r.int("num_hidden_layers") ?? numHiddenLayers
        vocabSize = try r.int("vocab_size") ?? vocabSize
        maxPositionEmbeddings = try r.int("max_position_embeddings") ?? maxPositionEmbeddings
        bosTokenId = try r.int("bos_token_id") ?? bosTokenId
        eosTokenId = try r.int("eos_token_id") ?? eosTokenId
        visionStartTokenId = try r.int("vision_start_token_id") ?? visionStartTokenId
        visionEndTokenId = try r.int("vision_end_token_id") ?? visionEndTokenId
        imageTokenId = try r.int("image_token_id") ?? imageTokenId
        videoTokenId = try r.int("video_token_id") ?? videoTokenId
        if let visionFields = try r.object("vision_config") {
            vision = try VisionConfig(fields: visionFields, llmHiddenSize: llmHidden)
        } else if let llmHidden {
            vision.outHiddenSize = llmHidden
        }
    }

    /// The whole `config.json` document, for `JSONDecoder`.
    private struct Document: Decodable {
        let config: ModelConfig
        init(from decoder: any Decoder) throws {
            config = try ModelConfig(fields: JSONFields(decoder))
        }
    }
}

/// Why a `config.json` could not be used.
public enum ModelConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    case missingFile(String)
    case invalidJSON(file: String, message: String)
    case invalidValue(file: String, key: String, message: String)

    public var description: String {
        switch self {
        case .missingFile(let path): "model config not found: \(path)"
        case .invalidJSON(let file, let message): "\(file): not valid JSON: \(message)"
        case .invalidValue(let file, let key, let message): "\(file): \(key) \(message)"
        }
    }
}
