import Foundation

/// The `vision_config` block of a Qwen2.5-VL `config.json` (transformers' `Qwen2_5_VLVisionConfig`).
///
/// Keys absent from the file take the values every released Qwen2.5-VL checkpoint uses (spec §2.1), not the
/// transformers class defaults: in particular a missing `hidden_size` is 1280 (the class default, 3584, is the
/// 7B *LLM* width and wrong for the tower), and a missing `out_hidden_size` is the top-level (LLM)
/// `hidden_size` when present, else 3584.
public struct VisionConfig: Sendable, Equatable {
    /// Number of ViT blocks (`depth`, 32).
    public var depth: Int = 32
    /// ViT width (`hidden_size`, 1280).
    public var hiddenSize: Int = 1280
    /// SwiGLU width (`intermediate_size`: 3420 for 3B/7B, 3456 for 32B/72B; default 3420).
    public var intermediateSize: Int = 3420
    /// Merger output width = LLM hidden size (`out_hidden_size`; 2048 / 3584 / 5120 / 8192).
    public var outHiddenSize: Int = 3584
    /// Attention heads (`num_heads`, 16; head_dim = hiddenSize / numHeads = 80).
    public var numHeads: Int = 16
    /// Spatial patch side in pixels (`patch_size`, 14).
    public var patchSize: Int = 14
    /// Frames per temporal patch (`temporal_patch_size`, 2).
    public var temporalPatchSize: Int = 2
    /// Side of the merged block in patches (`spatial_merge_size`, 2).
    public var spatialMergeSize: Int = 2
    /// Attention window side in pixels (`window_size`, 112).
    public var windowSize: Int = 112
    /// Image channels (`in_chans`, or `in_channels` in re-saved configs; 3).
    public var inChannels: Int = 3
    /// Blocks with full (not windowed) attention (`fullatt_block_indexes`, [7, 15, 23, 31]).
    public var fullattBlockIndexes: [Int] = [7, 15, 23, 31]
    /// MLP activation (`hidden_act`, "silu").
    public var hiddenAct: String = "silu"
    /// Video M-RoPE time scale (`tokens_per_second`; checkpoints say 2, the class default is 4; default 2).
    public var tokensPerSecond: Int = 2

    /// The released Qwen2.5-VL-7B-Instruct values.
    public init() {}

    /// Head width: `hiddenSize / numHeads` (80).
    public var headDim: Int { hiddenSize / max(numHeads, 1) }
    /// Width of one `pixel_values` row: `inChannels * temporalPatchSize * patchSize²` (1176).
    public var patchInputSize: Int { inChannels * temporalPatchSize * patchSize * patchSize }

    /// Reads `config.json` in `modelDirectory` and returns its `vision_config` (see the type's note on defaults).
    public static func load(modelDirectory: String) throws -> VisionConfig {
        try ModelConfig.load(modelDirectory: modelDirectory).vision
    }

    /// Builds a config from a decoded `vision_config` object; `llmHiddenSize` is the top-level `hidden_size`
    /// (used for a missing `out_hidden_size`). Throws `ModelConfigError` for keys of the wrong type or
    /// non-positive sizes.
    public static func parse(_ json: [String: Any], llmHiddenSize: Int?, file: String) throws -> VisionConfig {
        var c = VisionConfig()
        let r = JSONFields(json, file: file, context: "vision_config")
        c.depth = try r.int("depth") ?? c.depth
        c.hiddenSize = try r.int("hidden_size") ?? c.hiddenSize
        c.intermediateSize = try r.int("intermediate_size") ?? c.intermediateSize
        c.outHiddenSize = try r.int("out_hidden_size") ?? llmHiddenSize ?? c.outHiddenSize
        c.numHeads = try r.int("num_heads") ?? c.numHeads
        c.patchSize = try r.int("patch_size") ?? r.int("spatial_patch_size") ?? c.patchSize
        c.temporalPatchSize = try r.int("temporal_patch_size") ?? c.temporalPatchSize
        c.spatialMergeSize = try r.int("spatial_merge_size") ?? c.spatialMergeSize
        c.windowSize = try r.int("window_size") ?? c.windowSize
        c.inChannels = try r.int("in_chans") ?? r.int("in_channels") ?? c.inChannels
        c.fullattBlockIndexes = try r.intArray("fullatt_block_indexes") ?? c.fullattBlockIndexes
        c.hiddenAct = try r.string("hidden_act") ?? c.hiddenAct
        c.tokensPerSecond = try r.int("tokens_per_second") ?? c.tokensPerSecond
        for (name, value) in [("depth", c.depth), ("hidden_size", c.hiddenSize),
                              ("intermediate_size", c.intermediateSize), ("out_hidden_size", c.outHiddenSize),
                              ("num_heads", c.numHeads), ("patch_size", c.patchSize),
                              ("temporal_patch_size", c.temporalPatchSize),
                              ("spatial_merge_size", c.spatialMergeSize), ("window_size", c.windowSize),
                              ("in_chans", c.inChannels)] where value <= 0 {
            throw ModelConfigError.invalidValue(file: file, key: "vision_config.\(name)", message: "must be positive, got \(value)")
        }
        if c.hiddenSize % c.numHeads != 0 {
            throw ModelConfigError.invalidValue(file: file, key: "vision_config.num_heads",
                                                message: "hidden_size \(c.hiddenSize) is not divisible by \(c.numHeads)")
        }
        return c
    }
}
