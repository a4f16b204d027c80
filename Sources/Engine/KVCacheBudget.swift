/// The simulated KV cache of the stub language model: a fixed pool of fixed-size blocks, as vLLM's
/// paged KV cache (`KVCacheManager`, `block_size` tokens per block, `num_gpu_blocks` blocks).
///
/// A sequence holds `ceil(tokens / blockSize)` blocks for its prompt plus generated tokens. The
/// scheduler takes blocks at admission and one more whenever a decoding sequence crosses a block
/// boundary; when none is free it preempts (`vllm:num_preemptions`). `usage` is
/// `vllm:kv_cache_usage_perc` (0...1). Pure value; not thread-safe.
public struct KVCacheBudget: Sendable, Equatable {
    /// Tokens per block (`--block-size`, 16 as vLLM's default on GPUs).
    public let blockSize: Int
    /// Blocks in the pool (`--num-gpu-blocks-override`).
    public let totalBlocks: Int
    /// Blocks held by admitted sequences.
    public private(set) var usedBlocks = 0

    public init(blockSize: Int, totalBlocks: Int) {
        self.blockSize = max(1, blockSize)
        self.totalBlocks = max(1, totalBlocks)
    }

    public var freeBlocks: Int { totalBlocks - usedBlocks }
    /// Fraction of blocks in use, 0...1.
    public var usage: Double { Double(usedBlocks) / Double(totalBlocks) }
    /// Tokens the whole pool holds.
    public var capacityTokens: Int { blockSize * totalBlocks }

    /// Blocks needed to hold `tokens` tokens.
    public func blocks(forTokens tokens: Int) -> Int { (max(0, tokens) + blockSize - 1) / blockSize }

    /// Takes `count` blocks; false (and nothing taken) when fewer are free.
    public mutating func allocate(_ count: Int) -> Bool {
        guard count <= freeBlocks else { return false }
        usedBlocks += max(0, count)
        return true
    }

    /// Returns `count` blocks to the pool.
    public mutating func free(_ count: Int) {
        usedBlocks = max(0, usedBlocks - count)
    }
}
