import Foundation
import Testing
@testable import VisionCore

@Suite struct PreprocessorConfigTests {
    static let modelsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models")

    static func parse(_ json: String) throws -> PreprocessorConfig {
        try PreprocessorConfig.parse(jsonData: Data(json.utf8))
    }

    /// `qwen25VLDefault` is what the released checkpoints' preprocessor_config.json files (bundled under models/) say:
    /// `==` compares every field (pixel bounds, patch, temporal patch and merge sizes, mean, std, rescale factor).
    @Test(arguments: ["qwen2.5-vl-3b", "qwen2.5-vl-7b", "qwen2.5-vl-32b", "qwen2.5-vl-72b"])
    func bundledConfigsMirrorTheCheckpoint(_ model: String) throws {
        let config = try PreprocessorConfig.load(modelDirectory: Self.modelsDirectory.appendingPathComponent(model).path)
        #expect(config == .qwen25VLDefault)
        #expect(config.minPixels == 3136 && config.maxPixels == 12_845_056)
        #expect(config.factor == 28 && config.patchDimension == 1176)
    }

    @Test func missingFieldsTakeClassDefaults() throws {
        let c = try Self.parse("{}")
        #expect(c == .classDefault)
        #expect(c.maxPixels == 1_003_520 && c.minPixels == 3136)
    }

    @Test func sizeDictThenMinMaxOverride() throws {
        let fromSize = try Self.parse(#"{"size": {"shortest_edge": 1000, "longest_edge": 2000000}}"#)
        #expect(fromSize.minPixels == 1000 && fromSize.maxPixels == 2_000_000)
        let overridden = try Self.parse(#"{"size": {"shortest_edge": 1000, "longest_edge": 2000000}, "max_pixels": 500000}"#)
        #expect(overridden.minPixels == 1000 && overridden.maxPixels == 500_000)
    }

    @Test func otherFields() throws {
        let c = try Self.parse(#"{"patch_size": 16, "merge_size": 1, "temporal_patch_size": 1, "image_mean": 0.5, "image_std": [0.5, 0.25, 0.125], "rescale_factor": 0.5}"#)
        #expect(c.patchSize == 16 && c.mergeSize == 1 && c.temporalPatchSize == 1)
        #expect(c.imageMean == [0.5, 0.5, 0.5] && c.imageStd == [0.5, 0.25, 0.125] && c.rescaleFactor == 0.5)
        #expect(c.patchDimension == 3 * 16 * 16)
    }

    @Test func badValuesAreNamed() {
        #expect(throws: PreprocessorConfigError.invalidValue(field: "patch_size", reason: "must be positive, got 0")) {
            try Self.parse(#"{"patch_size": 0}"#)
        }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse(#"{"image_std": [1, 0, 1]}"#) }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse(#"{"image_mean": [1, 2]}"#) }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse(#"{"max_pixels": "many"}"#) }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse(#"{"min_pixels": 5000, "max_pixels": 10}"#) }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse("[1, 2]") }
        #expect(throws: PreprocessorConfigError.self) { try Self.parse("{not json") }
    }

    @Test func wrongTypesNameTheFieldAndValue() {
        #expect(throws: PreprocessorConfigError.invalidValue(field: "max_pixels", reason: #"expected an integer, got "many""#)) {
            try Self.parse(#"{"max_pixels": "many"}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidValue(field: "size.shortest_edge", reason: "expected an integer, got 1.5")) {
            try Self.parse(#"{"size": {"shortest_edge": 1.5}}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidValue(field: "patch_size", reason: "expected an integer, got true")) {
            try Self.parse(#"{"patch_size": true}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidValue(field: "min_pixels",
                                                            reason: "expected an integer, got 1000000000000000")) {
            try Self.parse(#"{"min_pixels": 1000000000000000}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidValue(field: "image_mean", reason: "expected a list of numbers")) {
            try Self.parse(#"{"image_mean": [0.5, null, 0.5]}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidValue(field: "rescale_factor", reason: #"expected a number, got "1/255""#)) {
            try Self.parse(#"{"rescale_factor": "1/255"}"#)
        }
        #expect(throws: PreprocessorConfigError.invalidJSON(path: "preprocessor_config.json", reason: "top level is not an object")) {
            try Self.parse("[1, 2]")
        }
    }

    /// Null fields keep the class defaults; integral numbers with a fraction are integers; a `size` that is not
    /// an object is ignored.
    @Test func nullsIntegralNumbersAndOddSize() throws {
        let c = try Self.parse(#"{"min_pixels": null, "max_pixels": 2000000.0, "size": [1, 2]}"#)
        #expect(c.minPixels == PreprocessorConfig.classDefault.minPixels && c.maxPixels == 2_000_000)
    }

    @Test func missingFileIsNamed() {
        #expect(throws: PreprocessorConfigError.fileNotFound("/nonexistent/preprocessor_config.json")) {
            try PreprocessorConfig.load(modelDirectory: "/nonexistent")
        }
    }
}
