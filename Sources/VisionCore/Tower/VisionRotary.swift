import Foundation

/// Qwen2.5-VL's 2D rotary embedding (`Qwen2_5_VisionRotaryEmbedding`, theta 1e4; spec §4.4) for rows in
/// window order. With `half = head_dim / 2` and `quarter = head_dim / 4`:
/// `inv_freq[k] = 1 / theta^(2k / half)` (float32, k < quarter); a row at patch position (h, w) has angles
/// `a[k] = h·inv_freq[k]`, `a[quarter + k] = w·inv_freq[k]`; dims `d` and `d + half` of every head of q and k
/// rotate by `a[d]` (`q·cos + rotate_half(q)·sin` with `cos = cos([a, a])`).
struct VisionRotary: Sendable {
    let headDim: Int
    let rows: Int
    /// `[rows, half]`.
    let cosHalf: [Float]
    let sinHalf: [Float]

    static let theta: Float = 10_000

    /// Angles for `grids` in the order of `layout` (positions in processor order, merge-block order, then
    /// reordered by `windowIndex` in groups of `merge²` rows).
    init(grids: [GridTHW], layout: WindowLayout, headDim: Int, mergeSize: Int) {
        let half = headDim / 2
        let quarter = headDim / 4
        var invFreq = [Float](repeating: 0, count: quarter)
        for k in 0..<quarter { invFreq[k] = 1 / Foundation.pow(Self.theta, Float(2 * k) / Float(half)) }
        // Positions (h, w) in processor order: per image, per frame, 2x2 blocks in raster order.
        var positions: [(Int, Int)] = []
        for grid in grids {
            for _ in 0..<grid.t {
                for bh in 0..<(grid.h / mergeSize) {
                    for bw in 0..<(grid.w / mergeSize) {
                        for mh in 0..<mergeSize {
                            for mw in 0..<mergeSize { positions.append((bh * mergeSize + mh, bw * mergeSize + mw)) }
                        }
                    }
                }
            }
        }
        let unit = layout.mergeUnit
        let rows = layout.windowIndex.count * unit
        var cosValues = [Float](repeating: 0, count: rows * half)
        var sinValues = [Float](repeating: 0, count: rows * half)
        for (position, group) in layout.windowIndex.enumerated() {
            for u in 0..<unit {
                let (h, w) = positions[group * unit + u]
                let base = (position * unit + u) * half
                for k in 0..<quarter {
                    let ah = Float(h) * invFreq[k]
                    let aw = Float(w) * invFreq[k]
                    cosValues[base + k] = Foundation.cos(ah)
                    sinValues[base + k] = Foundation.sin(ah)
                    cosValues[base + quarter + k] = Foundation.cos(aw)
                    sinValues[base + quarter + k] = Foundation.sin(aw)
                }
            }
        }
        self.headDim = headDim
        self.rows = rows
        cosHalf = cosValues
        sinHalf = sinValues
    }

    /// transformers' `[rows, head_dim]` tables: `cos(cat(a, a))`, `sin(cat(a, a))`.
    func fullTables() -> (cos: [Float], sin: [Float]) {
        let half = headDim / 2
        var c = [Float](repeating: 0, count: rows * headDim)
        var s = [Float](repeating: 0, count: rows * headDim)
        for r in 0..<rows {
            for d in 0..<half {
                c[r * headDim + d] = cosHalf[r * half + d]
                c[r * headDim + half + d] = cosHalf[r * half + d]
                s[r * headDim + d] = sinHalf[r * half + d]
                s[r * headDim + half + d] = sinHalf[r * half + d]
            }
        }
        return (c, s)
    }

    /// `table`: q and k (the first `2·hidden` columns of `qkv`, row stride `3·hidden`) rotated with the full
    /// tables, one pass for q and one for k, `rotate_half` materialised per head.
    static func applyTable(_ qkv: UnsafeMutablePointer<Float>, rows: Int, hidden: Int, headDim: Int,
                           cos: [Float], sin: [Float], threads: Int) {
        let half = headDim / 2
        cos.withUnsafeBufferPointer { cp in
            sin.withUnsafeBufferPointer { sp in
                let c = cp.baseAddress!, s = sp.baseAddress!
                for part in 0..<2 {
                    ParallelRows.run(rows, threads: threads) { range in
                        var rotated = [Float](repeating: 0, count: headDim)
                        for r in range {
                            let cr = c + r * headDim, sr = s + r * headDim
                            for head in 0..<(hidden / headDim) {
                                let x = qkv + r * 3 * hidden + part * hidden + head * headDim
                                for d in 0..<half {
                                    rotated[d] = -x[d + half]
                                    rotated[d + half] = x[d]
                                }
                                for d in 0..<headDim { x[d] = x[d] * cr[d] + rotated[d] * sr[d] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `fused`: q and k of every head rotated in one pass per row with the half tables.
    func applyFused(_ qkv: UnsafeMutablePointer<Float>, hidden: Int, threads: Int) {
        let half = headDim / 2
        let heads = hidden / headDim
        cosHalf.withUnsafeBufferPointer { cp in
            sinHalf.withUnsafeBufferPointer { sp in
                let c = cp.baseAddress!, s = sp.baseAddress!
                ParallelRows.run(rows, threads: threads) { range in
                    for r in range {
                        let cr = c + r * half, sr = s + r * half
                        let row = qkv + r * 3 * hidden
                        for slot in 0..<(2 * heads) {
                            let x = row + slot * headDim
                            for d in 0..<half {
                                let x1 = x[d], x2 = x[d + half]
                                x[d] = x1 * cr[d] - x2 * sr[d]
                                x[d + half] = x2 * cr[d] + x1 * sr[d]
                            }
                        }
                    }
                }
            }
        }
    }
}
