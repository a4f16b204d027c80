import TextCore

/// Scheduler limits and the cost model. Defaults in parentheses.
public struct EngineConfiguration: Sendable {
    /// Served model name: the `model_name` label of every metric.
    public var modelName: String
    /// Most sequences in the running batch (`--max-num-seqs`, 256, as vLLM).
    public var maxNumSeqs: Int
    /// Token budget of one step: prefill tokens of admitted requests plus one per decoding sequence
    /// (`--max-num-batched-tokens`, 8192). A request larger than the budget is admitted alone.
    public var maxNumBatchedTokens: Int
    /// Patch rows the batched patch embedding takes in one step (`--max-patches-per-step`, 16384:
    /// ~77 MB of float pixels, about four 1280×720 images). A larger single request is admitted alone.
    public var maxPatchesPerStep: Int
    /// Requests allowed to wait; past it `submit` fails with `queueFull` (`--max-waiting-requests`, 4096).
    public var maxWaitingRequests: Int
    /// Context window for the `vllm:request_*_tokens` bucket range (`--max-model-len`, 32768).
    public var maxModelLen: Int
    public var costModel: CostModel
    /// Mean tokens between EOS draws of the stub decoder (128).
    public var eosInterval: UInt64
    /// Tokens per simulated KV-cache block (`--block-size`, 16).
    public var blockSize: Int
    /// Blocks of the simulated KV cache (`--num-gpu-blocks-override`, 8192: 131,072 tokens, about what a
    /// 7B model in bf16 keeps on a 24 GB accelerator at Qwen2.5-7B's 56 KiB of KV per token). Past it the
    /// scheduler stops admitting and preempts the newest running sequence, as vLLM does.
    public var kvCacheBlocks: Int
    /// The tokenizer whose ids and text the stub decoder produces (the stub vocabulary; vlserve sets the model's).
    public var tokenizer: TextTokenizer = .stub

    public static let defaultBlockSize = 16
    public static let defaultKVCacheBlocks = 8192

    public init(modelName: String = "qwen2.5-vl-7b", maxNumSeqs: Int = 256, maxNumBatchedTokens: Int = 8192,
                maxPatchesPerStep: Int = 16384, maxWaitingRequests: Int = 4096, maxModelLen: Int = 32768,
                costModel: CostModel = CostModel(), eosInterval: UInt64 = 128,
                blockSize: Int = EngineConfiguration.defaultBlockSize,
                kvCacheBlocks: Int = EngineConfiguration.defaultKVCacheBlocks) {
        self.modelName = modelName
        self.maxNumSeqs = max(1, maxNumSeqs)
        self.maxNumBatchedTokens = max(1, maxNumBatchedTokens)
        self.maxPatchesPerStep = max(1, maxPatchesPerStep)
        self.maxWaitingRequests = max(0, maxWaitingRequests)
        self.maxModelLen = max(1, maxModelLen)
        self.costModel = costModel
        self.eosInterval = max(1, eosInterval)
        self.blockSize = max(1, blockSize)
        self.kvCacheBlocks = max(1, kvCacheBlocks)
    }

    /// Tokens the simulated KV cache holds (`blockSize × kvCacheBlocks`).
    public var kvCacheTokens: Int { blockSize * kvCacheBlocks }
}
