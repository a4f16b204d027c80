import CKernels
import Foundation

/// The attention core of `Qwen2_5_VLVisionAttention` (spec §4.3) between the qkv GEMM (and rotary) and
/// the output projection: for each segment and head, `softmax(q·kᵀ / sqrt(head_dim))·v`, non-causal, no mask.
/// Input `qkv [rows, 3·hidden]` (q, k, v; head `h` at columns `h·head_dim ..< (h+1)·head_dim` of each);
/// output `[rows, hidden]` with heads concatenated. Work is split over (segment, head, query block) tasks on
/// `threads` threads.
enum VisionAttention {
    /// Query rows per flash task (long segments are split so full-attention blocks keep every thread busy).
    static let flashQueryBlock = 256

    static func run(_ implementation: AttentionImplementation, qkv: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
                    segments: [Range<Int>], hidden: Int, heads: Int, threads: Int) {
        switch implementation {
        case .reference: reference(qkv: qkv, out: out, segments: segments, hidden: hidden, heads: heads, threads: threads)
        case .flash: flash(qkv: qkv, out: out, segments: segments, hidden: hidden, heads: heads, threads: threads)
        }
    }

    /// FLOPs of one call: `4·L²·hidden` per segment of length L (q·kᵀ and p·v).
    static func flops(segments: [Range<Int>], hidden: Int) -> Double {
        segments.reduce(0) { $0 + 4 * Double($1.count) * Double($1.count) * Double(hidden) }
    }

    /// Scores `[L, L]` materialised per (segment, head), softmax (max-subtracted, libm `exp`), then times V.
    static func reference(qkv: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, segments: [Range<Int>],
                          hidden: Int, heads: Int, threads: Int) {
        let headDim = hidden / heads
        let scale = 1 / Float(headDim).squareRoot()
        let ld = 3 * hidden
        let tasks = segments.flatMap { segment in (0..<heads).map { (segment, $0) } }
        ParallelRows.run(tasks.count, threads: threads) { range in
            for t in range {
                let (segment, head) = tasks[t]
                let length = segment.count
                var scores = [Float](repeating: 0, count: length * length)
                let q = qkv + segment.lowerBound * ld + head * headDim
                let k = q + hidden
                let v = q + 2 * hidden
                for i in 0..<length {
                    for j in 0..<length {
                        var dot: Float = 0
                        for d in 0..<headDim { dot += q[i * ld + d] * k[j * ld + d] }
                        scores[i * length + j] = dot * scale
                    }
                }
                for i in 0..<length {
                    var maximum = -Float.infinity
                    for j in 0..<length { maximum = max(maximum, scores[i * length + j]) }
                    var sum: Float = 0
                    for j in 0..<length {
                        let e = Foundation.exp(scores[i * length + j] - maximum)
                        scores[i * length + j] = e
                        sum += e
                    }
                    for j in 0..<length { scores[i * length + j] /= sum }
                }
                let o = out + segment.lowerBound * hidden + head * headDim
                for i in 0..<length {
                    for d in 0..<headDim {
                        var acc: Float = 0
                        for j in 0..<length { acc += scores[i * length + j] * v[j * ld + d] }
                        o[i * hidden + d] = acc
                    }
                }
            }
        }
    }

    /// `vl_flash_attention` per (segment, head, block of `flashQueryBlock` query rows); one scratch buffer per
    /// thread, sized for the longest segment.
    static func flash(qkv: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, segments: [Range<Int>],
                      hidden: Int, heads: Int, threads: Int) {
        _ = selectedISA
        let headDim = hidden / heads
        let scale = 1 / Float(headDim).squareRoot()
        let ld = 3 * hidden
        var tasks: [(segment: Range<Int>, head: Int, queries: Range<Int>)] = []
        for segment in segments {
            for head in 0..<heads {
                var q0 = 0
                while q0 < segment.count {
                    let q1 = min(segment.count, q0 + flashQueryBlock)
                    tasks.append((segment, head, q0..<q1))
                    q0 = q1
                }
            }
        }
        let longest = segments.map(\.count).max() ?? 0
        let scratchCount = vl_flash_attention_scratch(Int64(longest), Int64(headDim))
        ParallelRows.run(tasks.count, threads: threads) { range in
            let scratch = FloatBuffer(scratchCount)
            for t in range {
                let task = tasks[t]
                let q = qkv + task.segment.lowerBound * ld + task.head * headDim
                vl_flash_attention(q, q + hidden, q + 2 * hidden, Int64(ld),
                                   out + task.segment.lowerBound * hidden + task.head * headDim, Int64(hidden),
                                   Int64(task.segment.count), Int64(headDim), Int64(task.queries.lowerBound),
                                   Int64(task.queries.upperBound), scale, scratch.pointer)
            }
        }
    }

    /// Selects the kernels' ISA once from `CPUFeatures.current` (so `ONEDNN_MAX_CPU_ISA=AVX2` caps them too);
    /// returns the ISA's name.
    static let selectedISA: String = {
        let f = CPUFeatures.current
        let cap = f.avx512f && f.avx512vl ? VL_VIT_ISA_AVX512 : (f.avx2 && f.fma ? VL_VIT_ISA_AVX2 : VL_VIT_ISA_SSE2)
        _ = vl_vit_select_isa(Int32(cap))
        return kernelISA
    }()

    /// The instruction set the flash kernel runs on: `avx512`, `avx2` or `sse2`.
    static var kernelISA: String {
        switch vl_vit_isa() {
        case Int32(VL_VIT_ISA_AVX512): "avx512"
        case Int32(VL_VIT_ISA_AVX2): "avx2"
        default: "sse2"
        }
    }
}
