import Foundation
import Testing
@testable import VisionCore

struct VisionConfigTests {
    static let modelsDirectory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models").path

    @Test(arguments: [("3b", 3420, 2048), ("7b", 3420, 3584), ("32b", 3456, 5120), ("72b", 3456, 8192)])
    func bundledConfigs(_ size: String, _ intermediate: Int, _ out: Int) throws {
        let model = try ModelConfig.load(modelDirectory: Self.modelsDirectory + "/qwen2.5-vl-\(size)")
        #expect(model.modelType == "qwen2_5_vl")
        #expect(model.architectures == ["Qwen2_5_VLForConditionalGeneration"])
        #expect(model.torchDtype == "bfloat16")
        #expect(model.imageTokenId == 151655)
        #expect(model.visionStartTokenId == 151652 && model.visionEndTokenId == 151653)
        #expect(model.hiddenSize == out)
        let v = model.vision
        #expect(v.depth == 32 && v.hiddenSize == 1280 && v.numHeads == 16 && v.headDim == 80)
        #expect(v.intermediateSize == intermediate && v.outHiddenSize == out)
        #expect(v.patchSize == 14 && v.temporalPatchSize == 2 && v.spatialMergeSize == 2 && v.windowSize == 112)
        #expect(v.inChannels == 3 && v.fullattBlockIndexes == [7, 15, 23, 31] && v.tokensPerSecond == 2)
        #expect(v.patchInputSize == 1176)
        #expect(try VisionConfig.load(modelDirectory: Self.modelsDirectory + "/qwen2.5-vl-\(size)") == v)
    }

    /// The `key=value` arguments of the first `opening ... )` in Python source (no nested parentheses), spaces
    /// removed from the values: `SMALL = dict(depth=4, fullatt_block_indexes=[1, 3])` gives depth "4" and
    /// fullatt_block_indexes "[1,3]".
    static func pythonArguments(after opening: String, in source: String) throws -> [String: String] {
        let start = try #require(source.range(of: opening), "no \(opening) in the script")
        let end = try #require(source[start.upperBound...].firstIndex(of: ")"))
        var arguments: [String: String] = [:]
        for match in source[start.upperBound..<end].matches(of: try Regex(#"(\w+)=(\[[^\]]*\]|[^,\s]+)"#)) {
            let key = try #require(match.output[1].substring), value = try #require(match.output[2].substring)
            arguments[String(key)] = value.filter { $0 != " " }
        }
        return arguments
    }

    /// The small tower is valid and is the config that made tower_small.safetensors (its doc comment says to change
    /// both together): every field scripts/fixtures/make_tower_fixtures.py sets, read from the script (`SMALL` and
    /// the fixed arguments of its `Qwen2_5_VLVisionConfig`), and the hidden and output widths of the fixture's tensors.
    @Test func smallTowerIsValidAndIsTheFixtureScriptsConfig() throws {
        let c = VisionConfig.smallTower
        try c.validate(file: "smallTower")
        let source = try String(contentsOfFile: URL(fileURLWithPath: Self.modelsDirectory).deletingLastPathComponent()
            .appendingPathComponent("scripts/fixtures/make_tower_fixtures.py").path, encoding: .utf8)
        let small = try Self.pythonArguments(after: "SMALL = dict(", in: source)
        let fixed = try Self.pythonArguments(after: "Qwen2_5_VLVisionConfig(", in: source)
        let ours = ["depth": "\(c.depth)", "hidden_size": "\(c.hiddenSize)", "num_heads": "\(c.numHeads)",
                    "intermediate_size": "\(c.intermediateSize)", "out_hidden_size": "\(c.outHiddenSize)",
                    "fullatt_block_indexes": "[" + c.fullattBlockIndexes.map(String.init).joined(separator: ",") + "]",
                    "patch_size": "\(c.patchSize)", "temporal_patch_size": "\(c.temporalPatchSize)",
                    "spatial_merge_size": "\(c.spatialMergeSize)", "window_size": "\(c.windowSize)",
                    "in_channels": "\(c.inChannels)"]
        let script = small.merging(fixed, uniquingKeysWith: { a, _ in a }).filter { $0.key != "hidden_act" }
        #expect(Set(script.keys) == Set(ours.keys), "the script sets \(script.keys.sorted())")
        for (key, value) in script {
            #expect(ours[key] == value, "\(key): the script has \(value), smallTower \(ours[key] ?? "nothing")")
        }
        let file = try TowerFixtures.file("tower_small.safetensors")
        #expect(file.shape("single.block0")?.last == c.hiddenSize)
        #expect(file.shape("single.pooler_f32")?.last == c.outHiddenSize)
    }

    @Test func missingFieldsUseTheReleasedValuesNotTheClassDefaults() throws {
        // A re-saved config that omits fields equal to transformers' class defaults: hidden_size must stay 1280
        // (the class default 3584 is the LLM width), out_hidden_size comes from the top-level hidden_size.
        let json = #"{"hidden_size": 2048, "vision_config": {"in_channels": 3, "intermediate_size": 3420}}"#
        let c = try ModelConfig.parse(Data(json.utf8))
        #expect(c.vision.hiddenSize == 1280)
        #expect(c.vision.outHiddenSize == 2048)
        #expect(c.vision == { var v = VisionConfig(); v.outHiddenSize = 2048; return v }())
        let bare = try ModelConfig.parse(Data("{}".utf8))
        #expect(bare.vision == VisionConfig())
        #expect(bare.vision.outHiddenSize == 3584)
        let noVision = try ModelConfig.parse(Data(#"{"hidden_size": 5120}"#.utf8))
        #expect(noVision.vision.outHiddenSize == 5120)
    }

    @Test func badValuesAreTypedErrors() {
        let bad = [
            #"{"vision_config": {"hidden_size": "1280"}}"#,
            #"{"vision_config": {"depth": 0}}"#,
            #"{"vision_config": {"patch_size": 1.5}}"#,
            #"{"vision_config": {"num_heads": 3}}"#,
            #"{"vision_config": {"fullatt_block_indexes": [7, "x"]}}"#,
            #"{"vision_config": []}"#,
            #"{"model_type": 3}"#,
            #"[1, 2]"#,
            #"{"#,
        ]
        for json in bad {
            #expect(throws: ModelConfigError.self, "\(json)") { try ModelConfig.parse(Data(json.utf8)) }
        }
        #expect(throws: ModelConfigError.missingFile("/nonexistent/config.json")) {
            try VisionConfig.load(modelDirectory: "/nonexistent")
        }
    }

    @Test(arguments: [
        (#"{"vision_config": {"depth": -1}}"#, "m/config.json: vision_config.depth must be positive, got -1"),
        (#"{"vision_config": {"hidden_size": "1280"}}"#, "m/config.json: vision_config.hidden_size must be an integer"),
        (#"{"vision_config": {"patch_size": 1.5}}"#, "m/config.json: vision_config.patch_size must be an integer"),
        (#"{"vision_config": {"fullatt_block_indexes": [7, "x"]}}"#,
         "m/config.json: vision_config.fullatt_block_indexes must be an array of integers"),
        (#"{"vision_config": {"num_heads": 3}}"#,
         "m/config.json: vision_config.num_heads hidden_size 1280 is not divisible by 3"),
        (#"{"vision_config": []}"#, "m/config.json: vision_config is not a JSON object"),
        (#"{"model_type": 3}"#, "m/config.json: model_type must be a string"),
        (#"{"architectures": "x"}"#, "m/config.json: architectures must be an array of strings"),
        (#"{"vocab_size": 1e400}"#, "m/config.json: vocab_size must be an integer"),
        (#"[1, 2]"#, "m/config.json: not valid JSON: top level is not a JSON object"),
    ])
    func errorMessagesNameTheKey(json: String, message: String) {
        #expect(throws: ModelConfigError.self) { try ModelConfig.parse(Data(json.utf8), file: "m/config.json") }
        do {
            _ = try ModelConfig.parse(Data(json.utf8), file: "m/config.json")
        } catch {
            #expect("\(error)" == message)
        }
    }

    /// Null keys take the defaults; integral numbers with a fraction or exponent are exact integers.
    @Test func nullsAndIntegralNumbers() throws {
        let c = try ModelConfig.parse(Data(#"{"vision_config": {"depth": null, "patch_size": 14.0}, "vocab_size": 1.5e5}"#.utf8))
        #expect(c.vision.depth == 32 && c.vision.patchSize == 14)
        #expect(c.vocabSize == 150_000)
        do {
            _ = try ModelConfig.parse(Data("{".utf8), file: "m/config.json")
            Issue.record("truncated JSON accepted")
        } catch {
            #expect("\(error)".hasPrefix("m/config.json: not valid JSON: "))
        }
    }
}
