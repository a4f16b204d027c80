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

    /// Parses the bytes of a `config.json`; `file` names it in errors.
    public static func parse(_ data: Data, file: String = "config.json") throws -> ModelConfig {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ModelConfigError.invalidJSON(file: file, message: "\(error.localizedDescription)")
        }
        guard let json = object as? [String: Any] else {
            throw ModelConfigError.invalidJSON(file: file, message: "top level is not a JSON object")
        }
        var c = ModelConfig()
        let r = JSONFields(json, file: file, context: nil)
        c.modelType = try r.string("model_type") ?? c.modelType
        c.architectures = try r.stringArray("architectures") ?? c.architectures
        c.torchDtype = try r.string("torch_dtype") ?? r.string("dtype") ?? c.torchDtype
        let llmHidden = try r.int("hidden_size")
        c.hiddenSize = llmHidden ?? c.hiddenSize
        c.numHiddenLayers = try r.int("num_hidden_layers") ?? c.numHiddenLayers
        c.vocabSize = try r.int("vocab_size") ?? c.vocabSize
        c.maxPositionEmbeddings = try r.int("max_position_embeddings") ?? c.maxPositionEmbeddings
        c.bosTokenId = try r.int("bos_token_id") ?? c.bosTokenId
        c.eosTokenId = try r.int("eos_token_id") ?? c.eosTokenId
        c.visionStartTokenId = try r.int("vision_start_token_id") ?? c.visionStartTokenId
        c.visionEndTokenId = try r.int("vision_end_token_id") ?? c.visionEndTokenId
        c.imageTokenId = try r.int("image_token_id") ?? c.imageTokenId
        c.videoTokenId = try r.int("video_token_id") ?? c.videoTokenId
        if let vision = json["vision_config"] {
            guard let dict = vision as? [String: Any] else {
                throw ModelConfigError.invalidValue(file: file, key: "vision_config", message: "is not a JSON object")
            }
            c.vision = try VisionConfig.parse(dict, llmHiddenSize: llmHidden, file: file)
        } else if let llmHidden {
            c.vision.outHiddenSize = llmHidden
        }
        return c
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

/// Typed reads of optional keys from a decoded JSON object; a key of the wrong type is an error, not a default.
struct JSONFields {
    let json: [String: Any]
    let file: String
    let context: String?

    init(_ json: [String: Any], file: String, context: String?) {
        self.json = json
        self.file = file
        self.context = context
    }

    private func fail(_ key: String, _ expected: String) -> ModelConfigError {
        .invalidValue(file: file, key: context.map { "\($0).\(key)" } ?? key, message: "must be \(expected)")
    }

    private func present(_ key: String) -> Any? {
        guard let v = json[key], !(v is NSNull) else { return nil }
        return v
    }

    func int(_ key: String) throws -> Int? {
        guard let v = present(key) else { return nil }
        guard let exact = exactInt(v) else { throw fail(key, "an integer") }
        return exact
    }

    func intArray(_ key: String) throws -> [Int]? {
        guard let v = present(key) else { return nil }
        guard let a = v as? [Any] else { throw fail(key, "an array of integers") }
        return try a.map { e in
            guard let exact = exactInt(e) else {
                throw fail(key, "an array of integers")
            }
            return exact
        }
    }

    func string(_ key: String) throws -> String? {
        guard let v = present(key) else { return nil }
        guard let s = v as? String else { throw fail(key, "a string") }
        return s
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let v = present(key) else { return nil }
        guard let a = v as? [String] else { throw fail(key, "an array of strings") }
        return a
    }
}
