import Testing
@testable import VisionCore

@Suite struct PatchifierTests {
    static let config = PreprocessorConfig.qwen25VLDefault

    @Test func normalizationTableMatchesTransformers() throws {
        let expected = try PreprocessFixtures.normalizeTable()
        let table = Patchifier.normalizationTable(Self.config)
        #expect(expected.count == 768)
        #expect(table == expected)  // bit-exact: float64 rescale, float32 (x - mean) / std
    }

    @Test func fastMatchesReference() {
        for (i, (w, h)) in [(28, 28), (84, 56), (56, 84), (140, 28), (28, 812), (336, 336)].enumerated() {
            let image = BicubicResamplerTests.randomImage(width: w, height: h, seed: UInt64(100 + i))
            let fast = Patchifier.fast(image, config: Self.config)
            let reference = Patchifier.reference(image, config: Self.config)
            #expect(Patchifier.fast(image, config: Self.config, useC: false) == reference, "swift \(w)x\(h)")
            #expect(fast.gridTHW == [1, h / 14, w / 14])
            #expect(fast.patchCount == (h / 14) * (w / 14))
            #expect(fast.pixelValues.count == fast.patchCount * 1176)
            #expect(fast == reference, "\(w)x\(h)")
        }
    }

    @Test func rowOrderFollowsMergeBlocks() {
        // Encode each pixel's patch coordinates in its colour, then read them back from every row.
        let gh = 4, gw = 6
        var image = RGBImage(width: gw * 14, height: gh * 14)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let i = (y * image.width + x) * 3
                image.pixels[i] = UInt8(y / 14)
                image.pixels[i + 1] = UInt8(x / 14)
                image.pixels[i + 2] = UInt8((y % 14) * 14 + x % 14)
            }
        }
        let table = Patchifier.normalizationTable(Self.config)
        let out = Patchifier.fast(image, config: Self.config)
        func value(_ v: Int, _ c: Int) -> Float { table[c * 256 + v] }
        let expectedOrder = [(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (0, 3), (1, 2), (1, 3), (0, 4), (0, 5), (1, 4), (1, 5),
                             (2, 0), (2, 1), (3, 0), (3, 1), (2, 2), (2, 3), (3, 2), (3, 3), (2, 4), (2, 5), (3, 4), (3, 5)]
        for (r, (h, w)) in expectedOrder.enumerated() {
            let row = Array(out.pixelValues[(r * 1176)..<((r + 1) * 1176)])
            // Columns: ((c*2 + t)*14 + i)*14 + j.
            for t in 0..<2 {
                #expect(row[(0 * 2 + t) * 196] == value(h, 0))
                #expect(row[(1 * 2 + t) * 196] == value(w, 1))
                for k in [0, 13, 14, 100, 195] {
                    #expect(row[(2 * 2 + t) * 196 + k] == value(k, 2), "row \(r) t \(t) k \(k)")
                }
            }
        }
        #expect(out.tokenCount == 6)
    }

    @Test func temporalFramesAreIdentical() {
        let image = BicubicResamplerTests.randomImage(width: 56, height: 56, seed: 5)
        let out = Patchifier.fast(image, config: Self.config)
        for r in 0..<out.patchCount {
            for c in 0..<3 {
                let base = r * 1176 + c * 392
                #expect(Array(out.pixelValues[base..<(base + 196)]) == Array(out.pixelValues[(base + 196)..<(base + 392)]))
            }
        }
    }

    @Test func otherTemporalPatchSizes() {
        var config = Self.config
        config.temporalPatchSize = 3
        let image = BicubicResamplerTests.randomImage(width: 56, height: 28, seed: 6)
        let fast = Patchifier.fast(image, config: config)
        #expect(fast.patchDimension == 3 * 3 * 196)
        #expect(fast == Patchifier.reference(image, config: config))
        #expect(Patchifier.fast(image, config: config, useC: false) == fast)
        // Other patch and merge sizes (general C and Swift loops).
        config.patchSize = 16
        config.mergeSize = 1
        config.temporalPatchSize = 2
        let other = BicubicResamplerTests.randomImage(width: 48, height: 32, seed: 8)
        #expect(Patchifier.fast(other, config: config) == Patchifier.reference(other, config: config))
        #expect(Patchifier.fast(other, config: config, useC: false) == Patchifier.reference(other, config: config))
    }
}
