import Foundation

/// Qwen2RMSNorm of the vision tower (norm1, norm2, merger.ln_q; spec §4.2), eps 1e-6, statistics in float32:
/// `out = weight · (x · rsqrt(mean(x²) + eps))`. In float32 transformers' cast of x̂ to the input dtype before
/// the weight multiply is the identity; in bfloat16 VLServe keeps activations in float32 and rounds GEMM
/// inputs only (`GemmDType.bfloat16`). Each variant may add a residual first (`x += delta`).
enum RMSNorm {
    static let eps: Float = 1e-6

    /// `x += delta` over `count` floats (reference: its own pass).
    static func add(_ x: UnsafeMutablePointer<Float>, _ delta: UnsafePointer<Float>, rows: Int, width: Int, threads: Int) {
        ParallelRows.run(rows, threads: threads) { range in
            for i in (range.lowerBound * width)..<(range.upperBound * width) { x[i] += delta[i] }
        }
    }

    /// Reference: RMSNorm of each row of `x` into `out`, statistics pass then scale pass.
    static func reference(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
                          rows: Int, width: Int, threads: Int) {
        ParallelRows.run(rows, threads: threads) { range in
            for r in range {
                let row = x + r * width
                var sum: Float = 0
                for i in 0..<width { sum += row[i] * row[i] }
                let scale = 1 / (sum / Float(width) + eps).squareRoot()
                let o = out + r * width
                for i in 0..<width { o[i] = weight[i] * (row[i] * scale) }
            }
        }
    }

    /// Fused: per row, `x += delta` (if given) while summing squares in 8 lanes, then the scale pass while the
    /// row is in cache.
    static func fused(_ x: UnsafeMutablePointer<Float>, adding delta: UnsafePointer<Float>?,
                      into out: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>, rows: Int, width: Int,
                      threads: Int) {
        ParallelRows.run(rows, threads: threads) { range in
            let vectors = width / 8
            for r in range {
                let row = x + r * width
                var lanes = SIMD8<Float>()
                var tail: Float = 0
                if let delta {
                    let d = delta + r * width
                    for v in 0..<vectors {
                        let s = UnsafeRawPointer(row + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                            + UnsafeRawPointer(d + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(row + v * 8).storeBytes(of: s, as: SIMD8<Float>.self)
                        lanes += s * s
                    }
                    for i in (vectors * 8)..<width {
                        row[i] += d[i]
                        tail += row[i] * row[i]
                    }
                } else {
                    for v in 0..<vectors {
                        let s = UnsafeRawPointer(row + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                        lanes += s * s
                    }
                    for i in (vectors * 8)..<width { tail += row[i] * row[i] }
                }
                let scale = 1 / ((lanes.sum() + tail) / Float(width) + eps).squareRoot()
                let o = out + r * width
                let s8 = SIMD8<Float>(repeating: scale)
                for v in 0..<vectors {
                    let xv = UnsafeRawPointer(row + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                    let wv = UnsafeRawPointer(weight + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(o + v * 8).storeBytes(of: wv * (xv * s8), as: SIMD8<Float>.self)
                }
                for i in (vectors * 8)..<width { o[i] = weight[i] * (row[i] * scale) }
            }
        }
    }

    /// `x += delta` (when given) then `out = RMSNorm(x)` with `implementation`.
    static func run(_ implementation: NormImplementation, x: UnsafeMutablePointer<Float>, adding delta: UnsafePointer<Float>?,
                    into out: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>, rows: Int, width: Int,
                    threads: Int) {
        switch implementation {
        case .reference:
            if let delta { add(x, delta, rows: rows, width: width, threads: threads) }
            reference(x, into: out, weight: weight, rows: rows, width: width, threads: threads)
        case .fused:
            fused(x, adding: delta, into: out, weight: weight, rows: rows, width: width, threads: threads)
        }
    }
}
