import CKernels
import Foundation
import Testing
@testable import VisionCore

/// Every fast operator against its naive reference on awkward sizes.
@Suite struct TowerOperatorTests {
    /// Windows of 1, 5, 16, 17 and 64 rows and one of 200 (more than one query block of 4, key blocks of 16);
    /// head dims 80 (the real model), 40 and 12 (not a multiple of 16).
    @Test(arguments: [(2, 80), (3, 40), (1, 12)])
    func flashAttentionMatchesReference(heads: Int, headDim: Int) {
        let hidden = heads * headDim
        let lengths = [1, 5, 16, 17, 64, 200]
        let rows = lengths.reduce(0, +)
        var boundaries = [0]
        for l in lengths { boundaries.append(boundaries.last! + l) }
        let segments = WindowLayout.segments(boundaries)
        let qkv = testValues(rows * 3 * hidden, seed: UInt64(hidden)).map { $0 * 3 }
        var reference = [Float](repeating: 0, count: rows * hidden)
        var flash = [Float](repeating: .nan, count: rows * hidden)
        qkv.withUnsafeBufferPointer { q in
            reference.withUnsafeMutableBufferPointer { o in
                VisionAttention.run(.reference, qkv: q.baseAddress!, out: o.baseAddress!, segments: segments,
                                    hidden: hidden, heads: heads, threads: 2)
            }
            flash.withUnsafeMutableBufferPointer { o in
                VisionAttention.run(.flash, qkv: q.baseAddress!, out: o.baseAddress!, segments: segments,
                                    hidden: hidden, heads: heads, threads: 2)
            }
        }
        #expect(relativeError(flash, reference) < 1e-5, "heads \(heads) x \(headDim)")
    }

    /// A full-attention segment longer than one flash query block (256 rows).
    @Test func flashAttentionSplitsLongSegments() {
        let hidden = 160, heads = 2, rows = 300
        let qkv = testValues(rows * 3 * hidden, seed: 9)
        var reference = [Float](repeating: 0, count: rows * hidden)
        var flash = [Float](repeating: .nan, count: rows * hidden)
        qkv.withUnsafeBufferPointer { q in
            reference.withUnsafeMutableBufferPointer { o in
                VisionAttention.reference(qkv: q.baseAddress!, out: o.baseAddress!, segments: [0..<rows],
                                          hidden: hidden, heads: heads, threads: 1)
            }
            flash.withUnsafeMutableBufferPointer { o in
                VisionAttention.flash(qkv: q.baseAddress!, out: o.baseAddress!, segments: [0..<rows],
                                      hidden: hidden, heads: heads, threads: 3)
            }
        }
        #expect(relativeError(flash, reference) < 1e-5)
    }

    /// The vector exp against libm over the softmax and SiLU range.
    @Test func vectorExp() {
        let x = (0..<2001).map { Float($0) * 0.09 - 170 } + [-1e30, 0, 88.3, 1e-8]
        var y = [Float](repeating: 0, count: x.count)
        vl_vit_exp(x, &y, Int64(x.count))
        for (xi, yi) in zip(x, y) where xi > -87 && xi < 88 {
            let e = Foundation.exp(xi)
            #expect(abs(yi - e) <= 4 * e.ulp, "exp(\(xi)) = \(yi), libm \(e)")
        }
        #expect(y[x.count - 4] < 1e-37)
    }

    /// `fused` rotary is bit-identical to transformers' table form, for head dims 80 and 40.
    @Test(arguments: [(16, 80), (2, 40)])
    func rotaryFusedEqualsTable(heads: Int, headDim: Int) {
        let hidden = heads * headDim
        let grids = [GridTHW(t: 1, h: 6, w: 10), GridTHW(t: 2, h: 4, w: 4)]
        let layout = WindowLayout(grids: grids)
        let rotary = VisionRotary(grids: grids, layout: layout, headDim: headDim, mergeSize: 2)
        let rows = layout.rows
        let qkv = testValues(rows * 3 * hidden, seed: 77)
        var table = qkv, fused = qkv
        let tables = rotary.fullTables()
        table.withUnsafeMutableBufferPointer {
            VisionRotary.applyTable($0.baseAddress!, rows: rows, hidden: hidden, headDim: headDim,
                                    cos: tables.cos, sin: tables.sin, threads: 2)
        }
        fused.withUnsafeMutableBufferPointer { rotary.applyFused($0.baseAddress!, hidden: hidden, threads: 2) }
        #expect(table == fused)
        #expect(table != qkv)
        // v is untouched
        for r in 0..<rows { #expect(table[(r * 3 + 2) * hidden..<(r * 3 + 3) * hidden] == qkv[(r * 3 + 2) * hidden..<(r * 3 + 3) * hidden]) }
    }

    /// The angles of §4.4: row 0 of grid 1×8×12 in window order is patch (0, 0); merged token 4 (window index
    /// position 16) is block (0, 4), its first patch at (0, 8).
    @Test func rotaryAngles() {
        let grids = [GridTHW(t: 1, h: 8, w: 12)]
        let layout = WindowLayout(grids: grids)
        let rotary = VisionRotary(grids: grids, layout: layout, headDim: 80, mergeSize: 2)
        #expect(rotary.cosHalf[0..<40].allSatisfy { $0 == 1 })
        let row = 16 * 4 + 3      // merged token 4, sub-patch (1, 1): position (1, 9)
        let inv1: Float = 1 / Foundation.pow(10_000, 2 / 40)
        #expect(rotary.cosHalf[row * 40 + 0] == Foundation.cos(Float(1)))
        #expect(rotary.cosHalf[row * 40 + 1] == Foundation.cos(Float(1) * inv1))
        #expect(rotary.sinHalf[row * 40 + 20] == Foundation.sin(Float(9)))
    }

    /// Fused add+RMSNorm against add, then RMSNorm; widths not a multiple of 8, one row.
    @Test(arguments: [(1, 80), (7, 1280), (5, 13)])
    func normFusedMatchesReference(rows: Int, width: Int) {
        let x0 = testValues(rows * width, seed: 3).map { $0 * 4 }
        let delta = testValues(rows * width, seed: 4)
        let weight = testValues(width, seed: 5).map { 1 + $0 * 0.2 }
        func norm(_ impl: NormImplementation) -> (x: [Float], out: [Float]) {
            var x = x0
            var out = [Float](repeating: 0, count: rows * width)
            x.withUnsafeMutableBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    RMSNorm.run(impl, x: xp.baseAddress!, adding: delta, into: op.baseAddress!, weight: weight,
                                rows: rows, width: width, threads: 2)
                }
            }
            return (x, out)
        }
        let (xr, outR) = norm(.reference)
        let (xf, outF) = norm(.fused)
        #expect(xr == xf)
        #expect(relativeError(outF, outR) < 1e-6)
        // The reference itself: row 0 by hand in float64.
        var sum = 0.0
        for i in 0..<width { sum += Double(xr[i]) * Double(xr[i]) }
        let scale = 1 / (sum / Double(width) + 1e-6).squareRoot()
        for i in 0..<width { #expect(abs(Double(outR[i]) - Double(weight[i]) * Double(xr[i]) * scale) < 1e-5) }
    }

    /// Fused SwiGLU MLP (one gate_up GEMM, vectorised SiLU·mul) against three GEMMs; widths not a multiple of 16.
    @Test func mlpFusedMatchesReference() throws {
        var config = VisionConfig.smallTower
        config.intermediateSize = 37
        let weights = VisionTowerWeights.seeded(config: config, seed: 5)
        let reference = try VisionMLP(prefix: "visual.blocks.0.mlp.", weights: weights, implementation: .reference,
                                      gemm: .openblasFloat32)
        let fused = try VisionMLP(prefix: "visual.blocks.0.mlp.", weights: weights, implementation: .fused,
                                  gemm: .openblasFloat32)
        for rows in [1, 33] {
            let x = testValues(rows * 80, seed: UInt64(rows)).map { $0 * 3 }
            var outs: [[Float]] = []
            for mlp in [reference, fused] {
                var out = [Float](repeating: 0, count: rows * 80)
                let scratch = FloatBuffer(mlp.scratchCount(rows: rows))
                try x.withUnsafeBufferPointer { xp in
                    try out.withUnsafeMutableBufferPointer { o in
                        try mlp.forward(xp.baseAddress!, rows: rows, into: o.baseAddress!, scratch: scratch.pointer,
                                        threads: 2)
                    }
                }
                outs.append(out)
            }
            #expect(relativeError(outs[1], outs[0]) < 1e-5, "rows \(rows)")
        }
    }
}
