import Testing
@testable import VisionCore

/// The fast paths against the direct reference on many generated geometries, and the error cases.
struct Conv3dImplementationTests {
    /// 40 pseudo-random geometries: kernels 1–4, strides 1–4, paddings 0–2, with and without bias.
    static func randomCases() -> [(Conv3d, batch: Int, extent: Extent3, input: [Float])] {
        var rng = TestRandom(42)
        var seed: UInt64 = 1
        func pick(_ range: ClosedRange<Int>) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + Int((seed >> 33) % UInt64(range.count))
        }
        var cases: [(Conv3d, batch: Int, extent: Extent3, input: [Float])] = []
        while cases.count < 40 {
            let k = Extent3(t: pick(1...3), h: pick(1...4), w: pick(1...4))
            let s = Extent3(t: pick(1...3), h: pick(1...4), w: pick(1...4))
            let p = Extent3(t: pick(0...1), h: pick(0...2), w: pick(0...2))
            let g = Conv3dGeometry(inChannels: pick(1...3), outChannels: pick(1...5), kernel: k, stride: s,
                                   padding: p, bias: pick(0...1) == 1)
            let extent = Extent3(t: pick(1...4), h: pick(1...9), w: pick(1...9))
            guard g.outputExtent(depth: extent.t, height: extent.h, width: extent.w) != nil else { continue }
            let batch = pick(1...3)
            let conv = try! Conv3d(geometry: g, weight: rng.array(g.weightCount),
                                   bias: g.bias ? rng.array(g.outChannels) : nil)
            cases.append((conv, batch, extent, rng.array(batch * g.inChannels * extent.product)))
        }
        return cases
    }

    @Test func im2colAgreesWithDirectOnRandomGeometries() throws {
        for (i, c) in Self.randomCases().enumerated() {
            let direct = try c.0.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                         width: c.extent.w, implementation: .direct)
            let fast = try c.0.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                       width: c.extent.w, implementation: .im2col)
            #expect(fast.depth == direct.depth && fast.height == direct.height && fast.width == direct.width)
            #expect(relativeError(fast.output, direct.output) <= 1e-5, "case \(i): \(c.0.geometry)")
            let auto = try c.0.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                       width: c.extent.w, implementation: .auto)
            #expect(relativeError(auto.output, direct.output) <= 1e-5, "case \(i) auto")
        }
    }

    @Test func handComputedExample() throws {
        // 1 channel, 1x2x2 kernel of ones, stride 1, padding (0, 1, 0): sums of vertical pairs, zero rows padded.
        let g = Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: (1, 2, 1), stride: (1, 1, 1), padding: (0, 1, 0),
                               bias: true)
        let conv = try Conv3d(geometry: g, weight: [1, 1], bias: [10])
        let input: [Float] = [1, 2,
                              3, 4]          // [1, 1, 1, 2, 2]
        for impl in [Conv3dImplementation.direct, .im2col, .auto] {
            let out = try conv.forward(input, batch: 1, depth: 1, height: 2, width: 2, implementation: impl)
            #expect(out.depth == 1 && out.height == 3 && out.width == 2)
            #expect(out.output == [11, 12, 14, 16, 13, 14], "\(impl)")
        }
    }

    @Test func gemmRefusesShapesItCannotDo() throws {
        let strided = try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: (1, 2, 2),
                                                          stride: (1, 1, 1)), weight: [1, 1, 1, 1], bias: nil)
        do {
            _ = try strided.forward([Float](repeating: 1, count: 4), batch: 1, depth: 1, height: 2, width: 2,
                                    implementation: .gemm)
            Issue.record("gemm accepted stride != kernel")
        } catch {
            guard case .gemmNotApplicable(let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(reason.contains("stride"))
            #expect(error.description.contains("im2col"))
        }
        let padded = try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: (1, 2, 2),
                                                         padding: (0, 1, 1)), weight: [1, 1, 1, 1], bias: nil)
        #expect(padded.geometry.gemmInapplicability(depth: 1, height: 2, width: 2)?.contains("padding") == true)
        let patches = try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: (1, 2, 2)),
                                 weight: [1, 1, 1, 1], bias: nil)
        #expect(patches.geometry.gemmInapplicability(depth: 1, height: 4, width: 4)?.contains("kernel volume") == true)
        #expect(throws: Conv3dError.gemmNotApplicable(reason: "each sample must be exactly one kernel volume (input 1x4x4, kernel 1x2x2)")) {
            try patches.forward([Float](repeating: 1, count: 16), batch: 1, depth: 1, height: 4, width: 4,
                                implementation: .gemm)
        }
    }

    @Test func invalidGeometryAndWeights() {
        #expect(throws: Conv3dError.self) {
            try Conv3d(geometry: Conv3dGeometry(inChannels: 0, outChannels: 1, kernel: Extent3(1)), weight: [], bias: nil)
        }
        #expect(throws: Conv3dError.self) {
            try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: Extent3(1), stride: Extent3(0)),
                       weight: [1], bias: nil)
        }
        #expect(throws: Conv3dError.self) {
            try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: Extent3(1), padding: Extent3(-1)),
                       weight: [1], bias: nil)
        }
        let g = Conv3dGeometry(inChannels: 1, outChannels: 2, kernel: Extent3(1), bias: true)
        #expect(throws: Conv3dError.self) { try Conv3d(geometry: g, weight: [1], bias: [0, 0]) }
        #expect(throws: Conv3dError.self) { try Conv3d(geometry: g, weight: [1, 2], bias: nil) }
        #expect(throws: Conv3dError.self) { try Conv3d(geometry: g, weight: [1, 2], bias: [0]) }
        var noBias = g
        noBias.bias = false
        #expect(throws: Conv3dError.self) { try Conv3d(geometry: noBias, weight: [1, 2], bias: [0, 0]) }
    }

    @Test func badInputs() throws {
        let conv = try Conv3d(geometry: Conv3dGeometry(inChannels: 2, outChannels: 1, kernel: (1, 3, 3)),
                              weight: [Float](repeating: 1, count: 18), bias: nil)
        for impl in Conv3dImplementation.allCases {
            // wrong element count
            #expect(throws: Conv3dError.self) {
                try conv.forward([Float](repeating: 1, count: 17), batch: 1, depth: 1, height: 3, width: 3,
                                 implementation: impl)
            }
            // smaller than the kernel
            #expect(throws: Conv3dError.self) {
                try conv.forward([Float](repeating: 1, count: 8), batch: 1, depth: 1, height: 2, width: 2,
                                 implementation: impl)
            }
            // non-positive extents
            #expect(throws: Conv3dError.self) {
                try conv.forward([], batch: 1, depth: 0, height: 3, width: 3, implementation: impl)
            }
        }
        // sizes whose element count overflows Int
        #expect(throws: Conv3dError.self) {
            try conv.forward([], batch: Int.max / 2, depth: 1 << 20, height: 3, width: 3, implementation: .im2col)
        }
        #expect(throws: Conv3dError.self) {
            try Conv3d(geometry: Conv3dGeometry(inChannels: 1 << 40, outChannels: 1 << 40, kernel: (1 << 20, 1, 1)),
                       weight: [], bias: nil)
        }
        #expect(throws: Conv3dError.self) {
            try Conv3d(geometry: Conv3dGeometry(inChannels: 1, outChannels: 1, kernel: (1, 1, 1), padding: (Int.max, 0, 0)),
                       weight: [1], bias: nil)
        }
        let empty = try conv.forward([], batch: 0, depth: 1, height: 3, width: 3, implementation: .im2col)
        #expect(empty.output.isEmpty)
    }

    @Test func implementationNamesParse() {
        #expect(Conv3dImplementation(rawValue: "im2col") == .im2col)
        #expect(Conv3dImplementation.allCases.map(\.rawValue) == ["direct", "conv", "im2col", "gemm", "auto", "folded"])
    }
}
