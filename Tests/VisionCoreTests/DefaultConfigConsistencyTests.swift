import Testing
@testable import VisionCore

/// The preprocessor and the vision tower are configured separately (preprocessor_config.json and
/// config.json's vision_config); their defaults must describe the same patches, or every pixel_values row
/// would be the wrong width for the patch embedding.
@Test func preprocessorAndVisionDefaultsAgree() throws {
    let vision = VisionConfig()
    for pre in [PreprocessorConfig.qwen25VLDefault, .classDefault] {
        #expect(pre.patchSize == vision.patchSize)
        #expect(pre.temporalPatchSize == vision.temporalPatchSize)
        #expect(pre.mergeSize == vision.spatialMergeSize)
        #expect(pre.patchDimension == vision.patchInputSize)
    }
    let embedding = try VisionWeights.seeded(config: vision).patchEmbedding()
    #expect(embedding.inputSize == PreprocessorConfig.qwen25VLDefault.patchDimension)
    #expect(embedding.hiddenSize == vision.hiddenSize)
}
