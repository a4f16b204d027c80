/// The token order and attention segments of a batch of grids, as transformers' `get_window_index` and
/// the `cu_seqlens` of `Qwen2_5_VisionTransformerPretrainedModel.forward` compute them (spec
/// qwen-vision.md §4.1 steps 3–6, §4.5).
///
/// Rows of the tower's hidden states are reordered by `windowIndex` in groups of `merge²` (4) rows; in that
/// order each window of `vit_merger_window_size²` merged tokens (8×8 patches) is contiguous. Windows are
/// aligned to the top-left of each frame; edge windows are smaller and empty windows (including the whole
/// padding row/column transformers adds when `h/2` or `w/2` is a multiple of 4) give no segment.
public struct WindowLayout: Sendable, Equatable {
    /// Merged-token (2×2 group) ids in window order, offset per image: `[Σ t·(h/2)·(w/2)]`.
    public let windowIndex: [Int]
    /// Window boundaries in rows (`cu_window_seqlens` after `unique_consecutive`), starting at 0.
    public let cuWindowSeqlens: [Int]
    /// Full-attention boundaries: one segment of `h·w` rows per frame per image (`cu_seqlens`).
    public let cuSeqlens: [Int]
    /// Rows per merged token: `spatial_merge_size²` (4).
    public let mergeUnit: Int

    /// `windowSize`: pixels (112); `patchSize`: 14; `mergeSize`: 2. Grids must have `h` and `w` divisible by
    /// `mergeSize` (precondition; the preprocessor guarantees it).
    public init(grids: [GridTHW], mergeSize: Int = 2, windowSize: Int = 112, patchSize: Int = 14) {
        let window = max(1, windowSize / mergeSize / patchSize)
        mergeUnit = mergeSize * mergeSize
        var index: [Int] = []
        var cuWindow = [0]
        var cu = [0]
        var offset = 0
        for grid in grids {
            precondition(grid.h % mergeSize == 0 && grid.w % mergeSize == 0, "grid \(grid) not divisible by \(mergeSize)")
            let lh = grid.h / mergeSize, lw = grid.w / mergeSize
            // transformers pads by `window - l % window`: a whole empty window when l is a multiple of it.
            let windowsH = (lh + window - lh % window) / window
            let windowsW = (lw + window - lw % window) / window
            for frame in 0..<grid.t {
                for wy in 0..<windowsH {
                    for wx in 0..<windowsW {
                        var count = 0
                        for y in (wy * window)..<min(lh, wy * window + window) {
                            for x in (wx * window)..<min(lw, wx * window + window) {
                                index.append(offset + frame * lh * lw + y * lw + x)
                                count += 1
                            }
                        }
                        if count > 0 { cuWindow.append(cuWindow[cuWindow.count - 1] + count * mergeUnit) }
                    }
                }
                cu.append(cu[cu.count - 1] + grid.h * grid.w)
            }
            offset += grid.t * lh * lw
        }
        windowIndex = index
        cuWindowSeqlens = cuWindow
        cuSeqlens = cu
    }

    /// Rows (patches) in the batch.
    public var rows: Int { windowIndex.count * mergeUnit }

    /// `argsort(windowIndex)`: for merged token `j` in raster order, its position in window order.
    public var inverseIndex: [Int] {
        var inverse = [Int](repeating: 0, count: windowIndex.count)
        for (position, token) in windowIndex.enumerated() { inverse[token] = position }
        return inverse
    }

    /// The segments `[start, end)` of `boundaries` (`cuWindowSeqlens` or `cuSeqlens`), empty ones skipped.
    public static func segments(_ boundaries: [Int]) -> [Range<Int>] {
        guard boundaries.count > 1 else { return [] }
        return (1..<boundaries.count).compactMap { i in
            boundaries[i] > boundaries[i - 1] ? boundaries[i - 1]..<boundaries[i] : nil
        }
    }
}
