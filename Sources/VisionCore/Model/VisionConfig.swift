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

    /// A small tower for smoke tests and examples, not a released model: depth 4, hidden 80, 2 heads × 40,
    /// MLP 100, out 48, full attention in blocks 1 and 3; the other fields are `init()`'s (patch 14, window
    /// 112, merge 2), so real images preprocess as for the 7B model. It is the `SMALL` config of
    /// scripts/fixtures/make_tower_fixtures.py, which made the tower_small.safetensors test fixtures:
    /// change both together.
    public static var smallTower: VisionConfig {
        var c = VisionConfig()
        c.depth = 4
        c.hiddenSize = 80
        c.numHeads = 2
        c.intermediateSize = 100
        c.outHiddenSize = 48
        c.fullattBlockIndexes = [1, 3]
        return c
    }

    /// Head width: `hiddenSize / numHeads` (80).
    public var headDim: Int { hiddenSize / max(numHeads, 1) }
    /// Width of one `pixel_values` row: `inChannels * temporalPatchSize * patchSize²` (1176).
    public var patchInputSize: Int { inChannels * temporalPatchSize * patchSize * patchSize }

    /// Reads `config.json` in `modelDirectory` and returns its `vision_config` (see the type's note on defaults).
    public static func load(modelDirectory: String) throws -> VisionConfig {
        try ModelConfig.load(modelDirectory: modelDirectory).vision
    }

    /// Reads a `vision_config` object; `llmHiddenSize` is the top-level `hidden_size` (used for a missing
    /// `out_hidden_size`). Absent or null keys keep the defaults; `validate(file:)` checks the values.
    init(fields r: JSONFields, llmHiddenSize: Int?) throws {
        self.init()
        depth = try r.int("depth") ?? depth
        hiddenSize = try r.int("hidden_size") ?? hiddenSize
        intermediateSize = try r.int("intermediate_size") ?? intermediateSize
        outHiddenSize = try r.int("out_hidden_size") ?? llmHiddenSize ?? outHiddenSize
        numHeads = try r.int("num_heads") ?? numHeads
        patchSize = try r.int("patch_size") ?? r.int("spatial_patch_size") ?? patchSize
        temporalPatchSize = try r.int("temporal_patch_size") ?? temporalPatchSize
        spatialMergeSize = try r.int("spatial_merge_size") ?? spatialMergeSize
        windowSize = try r.int("window_size") ?? windowSize
        inChannels = try r.int("in_chans") ?? r.int("in_channels") ?? inChannels
        fullattBlockIndexes = try r.intArray("fullatt_block_indexes") ?? fullattBlockIndexes
        hiddenAct = try r.string("hidden_act") ?? hiddenAct
        tokensPerSecond = try r.int("tokens_per_second") ?? tokensPerSecond
    }

    /// Throws `ModelConfigError.invalidValue` naming `file` for a non-positive size or a `hidden_size` that
    /// `num_heads` does not divide.
    func validate(file: String) throws(ModelConfigError) {
        for (name, value) in [("depth", depth), ("hidden_size", hiddenSize),
                              ("intermediate_size", intermediateSize), ("out_hidden_size", outHiddenSize),
                              ("num_heads", numHeads), ("patch_size", patchSize),
                              ("temporal_patch_size", temporalPatchSize),
                              ("spatial_merge_size", spatialMergeSize), ("window_size", windowSize),
                              ("in_chans", inChannels)] where value <= 0 {
            throw .invalidValue(file: file, key: "vision_config.\(name)", message: "must be positive, got \(value)")
        }
        if hiddenSize % numHeads != 0 {
            throw .invalidValue(file: file, key: "vision_config.num_heads",
                                message: "hidden_size \(hiddenSize) is not divisible by \(numHeads)")
        }
    }
}
