import Testing
@testable import VisionCore

/// Each Conv3d implementation against torch.nn.Conv3d on the general cases in conv_cases.safetensors.
struct Conv3dFixtureTests {
    struct Case {
        var conv: Conv3d
        var input: [Float]
        var output: [Float]
        var batch: Int
        var extent: Extent3
        var outputCount: Int { output.count }
    }

    static func loadCases() throws -> [Case] {
        let file = try ConvFixtures.file("conv_cases.safetensors")
        let count = Int(try file.int64s("count")[0])
        return try (0..<count).map { i in
            let g = try file.int64s("case\(i).geometry").map(Int.init)
            let geometry = Conv3dGeometry(inChannels: g[0], outChannels: g[1], kernel: (g[2], g[3], g[4]),
                                          stride: (g[5], g[6], g[7]), padding: (g[8], g[9], g[10]), bias: g[11] == 1)
            let bias = geometry.bias ? try file.floats("case\(i).bias") : nil
            let conv = try Conv3d(geometry: geometry, weight: try file.floats("case\(i).weight"), bias: bias)
            return Case(conv: conv, input: try file.floats("case\(i).input"), output: try file.floats("case\(i).output"),
                        batch: g[12], extent: Extent3(t: g[13], h: g[14], w: g[15]))
        }
    }

    @Test func fixtureHasSixCases() throws {
        #expect(try Self.loadCases().count == 6)
    }

    @Test(arguments: [Conv3dImplementation.direct, .conv, .im2col, .auto], [GemmBackend.openblas, .onednn])
    func matchesTorch(_ impl: Conv3dImplementation, _ backend: GemmBackend) throws {
        for (i, c) in try Self.loadCases().enumerated() {
            let conv = try Conv3d(geometry: c.conv.geometry, weight: c.conv.weight, bias: c.conv.bias,
                                  gemm: GemmConfiguration(backend: backend, dtype: .float32))
            let result = try conv.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                          width: c.extent.w, implementation: impl)
            #expect(result.output.count == c.outputCount, "case \(i)")
            let err = relativeError(result.output, c.output)
            #expect(err <= 1e-5, "case \(i) \(impl) \(backend): relative error \(err)")
        }
    }

    @Test func outputExtentsMatchTorch() throws {
        let file = try ConvFixtures.file("conv_cases.safetensors")
        for (i, c) in try Self.loadCases().enumerated() {
            let shape = try #require(file.shape("case\(i).output"))
            let out = try #require(c.conv.geometry.outputExtent(depth: c.extent.t, height: c.extent.h, width: c.extent.w))
            #expect(shape == [c.batch, c.conv.geometry.outChannels, out.t, out.h, out.w], "case \(i)")
        }
    }

    @Test func gemmOnlyWhereItApplies() throws {
        for (i, c) in try Self.loadCases().enumerated() {
            let applicable = c.conv.geometry.gemmInapplicability(depth: c.extent.t, height: c.extent.h,
                                                                 width: c.extent.w) == nil
            #expect(applicable == (i == 4), "case \(i)")
            if applicable {
                let out = try c.conv.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                             width: c.extent.w, implementation: .gemm)
                #expect(relativeError(out.output, c.output) <= 1e-5)
                #expect(c.conv.resolve(.auto, depth: c.extent.t, height: c.extent.h, width: c.extent.w) == .gemm)
            } else {
                #expect(throws: Conv3dError.self) {
                    try c.conv.forward(c.input, batch: c.batch, depth: c.extent.t, height: c.extent.h,
                                       width: c.extent.w, implementation: .gemm)
                }
                #expect(c.conv.resolve(.auto, depth: c.extent.t, height: c.extent.h, width: c.extent.w) == .im2col)
            }
        }
    }
}
