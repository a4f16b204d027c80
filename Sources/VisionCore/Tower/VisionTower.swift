import Foundation

/// The whole Qwen2.5-VL vision tower on CPU, as transformers' `Qwen2_5_VisionTransformerPretrainedModel`
/// computes it (spec qwen-vision.md §4): patch embedding, window reorder, `depth` blocks (window attention
/// except in `fullatt_block_indexes`, where attention is per frame), PatchMerger, inverse window order.
/// Every operator's implementation and the GEMMs' backend and dtype come from `VisionTowerOptions`.
///
/// Thread safety: `encode` may be called from any thread; calls share the prepared weights (and, with
/// oneDNN, each Linear runs one call at a time).
public final class VisionTower: Sendable {
    public let config: VisionConfig
    public let options: VisionTowerOptions
    let patchEmbedding: PatchEmbedding?
    let blocks: [VisionBlock]
    let merger: PatchMerger?
    private let tables = RotaryTableCache()

    /// Builds the whole tower from `weights` (reads and prepares every GEMM's weights once).
    public convenience init(weights: VisionTowerWeights, options: VisionTowerOptions = VisionTowerOptions()) throws {
        try self.init(weights: weights, options: options, blockIndices: Array(0..<weights.config.depth),
                      withPatchEmbedding: true, withMerger: true)
    }

    /// A partial tower (tests, benchmarks of single blocks): only `blockIndices` (ascending), with or without the
    /// patch embedding and the merger.
    init(weights: VisionTowerWeights, options: VisionTowerOptions, blockIndices: [Int], withPatchEmbedding: Bool,
         withMerger: Bool) throws {
        let c = weights.config
        guard c.hiddenSize % c.numHeads == 0, c.headDim % 4 == 0 else {
            throw VisionTowerError.unsupported("head_dim \(c.headDim) must be a multiple of 4 (2D rotary)")
        }
        config = c
        self.options = options
        _ = VisionAttention.selectedISA
        if withPatchEmbedding {
            let shape = [c.hiddenSize, c.inChannels, c.temporalPatchSize, c.patchSize, c.patchSize]
            let w = try weights.tensor(VisionWeights.patchEmbedName, shape: shape)
            patchEmbedding = try PatchEmbedding(config: c, weight: w, gemm: options.gemm)
        } else {
            patchEmbedding = nil
        }
        blocks = try blockIndices.map { try VisionBlock(index: $0, weights: weights, options: options) }
        merger = withMerger ? try PatchMerger(weights: weights, gemm: options.gemm) : nil
    }

    /// What runs: each GEMM's kernel for `rows` rows and the vector ISA of attention and SwiGLU, e.g.
    /// `["qkv": "openblas sgemm (Cooperlake)", ..., "vector": "avx512"]`.
    public func kernelNames(rows: Int) -> [String: String] {
        var names = ["vector": VisionAttention.selectedISA]
        if let patchEmbedding { names["patch_embed"] = patchEmbedding.kernelName(.auto, rows: rows) }
        if let block = blocks.first {
            names["qkv"] = block.qkv.kernelName(rows: rows)
            names["proj"] = block.proj.kernelName(rows: rows)
            names["mlp"] = block.mlp.gate.kernelName(rows: rows)
        }
        if let merger { names["merger"] = merger.fc1.kernelName(rows: rows / merger.unit) }
        return names
    }

    /// Merged tokens the tower returns for `grids`: `Σ t·h·w / merge²`.
    public func outputTokens(grids: [GridTHW]) -> Int {
        grids.reduce(0) { $0 + $1.patches } / (config.spatialMergeSize * config.spatialMergeSize)
    }

    /// Encodes a variable-length batch: `pixelValues` is `[Σ t·h·w, C·kT·p·p]` (the processor's rows, images
    /// concatenated in order), `grids` the images' `image_grid_thw`. Returns `[tokens, out_hidden_size]`
    /// row-major, images in order, each image's merged tokens in raster order (transformers' `pooler_output`).
    /// Adds each operator's time to `timings`.
    public func encode(pixelValues: UnsafeBufferPointer<Float>, grids: [GridTHW],
                       timings: inout OperatorTimings) throws -> [Float] {
        guard let patchEmbedding, merger != nil, blocks.count == config.depth else {
            throw VisionTowerError.unsupported("this VisionTower was built without every part")
        }
        let rows = grids.reduce(0) { $0 + $1.patches }
        guard pixelValues.count == rows * config.patchInputSize else {
            throw VisionTowerError.shape("pixel_values has \(pixelValues.count) elements, expected \(rows) rows x "
                + "\(config.patchInputSize) for grids \(grids)")
        }
        try validate(grids)
        if rows == 0 { return [] }
        var clock = OperatorClock()
        let embeds = try patchEmbedding.embed(pixelValues: pixelValues, rows: rows, implementation: .auto)
        clock.stop(&timings, .patchEmbed, options.gemm.description,
                   flops: 2 * Double(rows) * Double(config.patchInputSize) * Double(config.hiddenSize))
        clock = OperatorClock()
        let plan = self.plan(grids)
        let h = config.hiddenSize
        let x = FloatBuffer(rows * h)
        embeds.withUnsafeBufferPointer { e in
            let unit = plan.layout.mergeUnit * h
            for (position, group) in plan.layout.windowIndex.enumerated() {
                (x.pointer + position * unit).update(from: e.baseAddress! + group * unit, count: unit)
            }
        }
        clock.stop(&timings, .layout, options.rotary.rawValue)
        return try run(x, rows: rows, plan: plan, timings: &timings)!
    }

    /// `encode(pixelValues:grids:timings:)` for an array.
    public func encode(pixelValues: [Float], grids: [GridTHW], timings: inout OperatorTimings) throws -> [Float] {
        try pixelValues.withUnsafeBufferPointer { try encode(pixelValues: $0, grids: grids, timings: &timings) }
    }

    /// `encode` without timings.
    public func encode(pixelValues: [Float], grids: [GridTHW]) throws -> [Float] {
        var timings = OperatorTimings()
        return try encode(pixelValues: pixelValues, grids: grids, timings: &timings)
    }

    /// Runs this tower's blocks (and its merger, if built with one) on hidden states already in window order,
    /// `[rows, hidden]`. Returns the merger's output in raster order, or (without a merger) the hidden states
    /// after the last block, still in window order.
    func forward(windowOrdered hidden: [Float], grids: [GridTHW], timings: inout OperatorTimings) throws -> [Float] {
        try validate(grids)
        let rows = grids.reduce(0) { $0 + $1.patches }
        guard hidden.count == rows * config.hiddenSize else {
            throw VisionTowerError.shape("hidden has \(hidden.count) elements, expected \(rows) x \(config.hiddenSize)")
        }
        let x = FloatBuffer(hidden.count)
        x.copy(from: hidden)
        let plan = self.plan(grids)
        return try run(x, rows: rows, plan: plan, timings: &timings) ?? x.array
    }

    private func validate(_ grids: [GridTHW]) throws {
        let m = config.spatialMergeSize
        for g in grids where g.t <= 0 || g.h <= 0 || g.w <= 0 || g.h % m != 0 || g.w % m != 0 {
            throw VisionTowerError.shape("grid \(g) must be positive with h and w multiples of \(m)")
        }
    }

    private func plan(_ grids: [GridTHW]) -> TowerPlan {
        if options.rotary == .table, let cached = tables.lookup(grids) { return cached }
        let layout = WindowLayout(grids: grids, mergeSize: config.spatialMergeSize, windowSize: config.windowSize,
                                  patchSize: config.patchSize)
        let rotary = VisionRotary(grids: grids, layout: layout, headDim: config.headDim,
                                  mergeSize: config.spatialMergeSize)
        let plan = TowerPlan(layout: layout, rotary: rotary,
                             fullTables: options.rotary == .table ? rotary.fullTables() : nil)
        if options.rotary == .table { tables.store(grids, plan) }
        return plan
    }

    /// The blocks and the merger over `x` (window order). Returns the merger's raster-ordered output, or nil
    /// without a merger (then `x` holds the hidden states after the last block).
    private func run(_ x: FloatBuffer, rows: Int, plan: TowerPlan, timings: inout OperatorTimings) throws -> [Float]? {
        let h = config.hiddenSize
        let threads = options.resolvedThreads
        let gemm = options.gemm.description
        let windows = WindowLayout.segments(plan.layout.cuWindowSeqlens)
        let frames = WindowLayout.segments(plan.layout.cuSeqlens)
        let normed = FloatBuffer(rows * h)
        let qkv = FloatBuffer(rows * 3 * h)
        let attention = FloatBuffer(rows * h)
        let delta = FloatBuffer(rows * h)
        let scratch = FloatBuffer(blocks.first?.mlp.scratchCount(rows: rows) ?? 0)
        let normFlops = 4 * Double(rows) * Double(h)
        var pending = false
        func norm(_ weight: [Float]) {
            let clock = OperatorClock()
            weight.withUnsafeBufferPointer { w in
                RMSNorm.run(options.norm, x: x.pointer, adding: pending ? UnsafePointer(delta.pointer) : nil,
                            into: normed.pointer, weight: w.baseAddress!, rows: rows, width: h, threads: threads)
            }
            pending = false
            clock.stop(&timings, .norm, options.norm.rawValue, flops: normFlops)
        }
        for block in blocks {
            norm(block.norm1)
            var clock = OperatorClock()
            try block.qkv.forward(normed.pointer, rows: rows, into: qkv.pointer)
            clock.stop(&timings, .qkv, gemm, flops: 6 * Double(rows) * Double(h) * Double(h))
            clock = OperatorClock()
            switch options.rotary {
            case .table:
                let tables = plan.fullTables!
                VisionRotary.applyTable(qkv.pointer, rows: rows, hidden: h, headDim: config.headDim,
                                        cos: tables.cos, sin: tables.sin, threads: threads)
            case .fused:
                plan.rotary.applyFused(qkv.pointer, hidden: h, threads: threads)
            }
            clock.stop(&timings, .rotary, options.rotary.rawValue, flops: 6 * Double(rows) * Double(h))
            clock = OperatorClock()
            let segments = block.fullAttention ? frames : windows
            VisionAttention.run(options.attention, qkv: qkv.pointer, out: attention.pointer, segments: segments,
                                hidden: h, heads: config.numHeads, threads: threads)
            clock.stop(&timings, .attention, options.attention.rawValue,
                       flops: VisionAttention.flops(segments: segments, hidden: h))
            clock = OperatorClock()
            try block.proj.forward(attention.pointer, rows: rows, into: delta.pointer)
            clock.stop(&timings, .proj, gemm, flops: 2 * Double(rows) * Double(h) * Double(h))
            pending = true
            norm(block.norm2)
            clock = OperatorClock()
            try block.mlp.forward(normed.pointer, rows: rows, into: delta.pointer, scratch: scratch.pointer,
                                  threads: threads)
            clock.stop(&timings, .mlp, "\(options.mlp.rawValue) \(gemm)", flops: block.mlp.flops(rows: rows))
            pending = true
        }
        guard let merger else {
            if pending { RMSNorm.add(x.pointer, delta.pointer, rows: rows, width: h, threads: threads) }
            return nil
        }
        norm(merger.lnQ)
        let clock = OperatorClock()
        let merged = try merger.forward(normed.pointer, rows: rows, threads: threads)
        let out = merged.withUnsafeBufferPointer { m in
            let width = merger.outHidden
            var out = [Float](repeating: 0, count: merged.count)
            out.withUnsafeMutableBufferPointer { o in
                for (position, token) in plan.layout.windowIndex.enumerated() {
                    (o.baseAddress! + token * width).update(from: m.baseAddress! + position * width, count: width)
                }
            }
            return out
        }
        clock.stop(&timings, .merger, gemm, flops: merger.flops(rows: rows))
        return out
    }
}
