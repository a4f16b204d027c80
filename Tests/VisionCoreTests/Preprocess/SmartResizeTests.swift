import Testing
@testable import VisionCore

/// smart_resize test vectors of qwen-vision.md §1.4 (verified with transformers' algorithm).
@Suite struct SmartResizeTests {
    struct Vector: Sendable, CustomStringConvertible {
        let h: Int, w: Int, maxPixels: Int, rh: Int, rw: Int, tokens: Int
        var description: String { "\(h)x\(w)@\(maxPixels)" }
    }

    static let classMax = 1_003_520
    static let ckptMax = 12_845_056
    static let vectors: [Vector] = [
        Vector(h: 480, w: 640, maxPixels: classMax, rh: 476, rw: 644, tokens: 391),
        Vector(h: 480, w: 640, maxPixels: ckptMax, rh: 476, rw: 644, tokens: 391),
        Vector(h: 1080, w: 1920, maxPixels: classMax, rh: 728, rw: 1316, tokens: 1222),
        Vector(h: 1080, w: 1920, maxPixels: ckptMax, rh: 1092, rw: 1932, tokens: 2691),
        Vector(h: 224, w: 224, maxPixels: classMax, rh: 224, rw: 224, tokens: 64),
        Vector(h: 224, w: 224, maxPixels: ckptMax, rh: 224, rw: 224, tokens: 64),
        Vector(h: 2048, w: 2048, maxPixels: classMax, rh: 980, rw: 980, tokens: 1225),
        Vector(h: 2048, w: 2048, maxPixels: ckptMax, rh: 2044, rw: 2044, tokens: 5329),
        Vector(h: 700, w: 1000, maxPixels: classMax, rh: 700, rw: 1008, tokens: 900),
        Vector(h: 700, w: 1000, maxPixels: ckptMax, rh: 700, rw: 1008, tokens: 900),
        Vector(h: 350, w: 350, maxPixels: classMax, rh: 336, rw: 336, tokens: 144),
        Vector(h: 350, w: 350, maxPixels: ckptMax, rh: 336, rw: 336, tokens: 144),
        Vector(h: 100, w: 100, maxPixels: classMax, rh: 112, rw: 112, tokens: 16),
        Vector(h: 100, w: 100, maxPixels: ckptMax, rh: 112, rw: 112, tokens: 16),
        Vector(h: 20, w: 30, maxPixels: classMax, rh: 56, rw: 84, tokens: 6),
        Vector(h: 20, w: 30, maxPixels: ckptMax, rh: 56, rw: 84, tokens: 6),
        Vector(h: 14, w: 2000, maxPixels: classMax, rh: 28, rw: 672, tokens: 24),
        Vector(h: 14, w: 2000, maxPixels: ckptMax, rh: 28, rw: 672, tokens: 24),
        Vector(h: 4000, w: 3000, maxPixels: ckptMax, rh: 4004, rw: 2996, tokens: 15301),
    ]

    @Test(arguments: vectors)
    func specVector(_ v: Vector) throws {
        let (h, w) = try SmartResize.targetSize(height: v.h, width: v.w, factor: 28, minPixels: 3136, maxPixels: v.maxPixels)
        #expect(h == v.rh && w == v.rw)
        let processor = ImagePreprocessor(config: PreprocessorConfig(minPixels: 3136, maxPixels: v.maxPixels))
        #expect(try processor.tokenCount(height: v.h, width: v.w) == v.tokens)
    }

    @Test func halfToEvenRounding() throws {
        // 350/28 = 12.5 -> 12 (not 13); 378/28 = 13.5 -> 14.
        #expect(try SmartResize.targetSize(height: 350, width: 378, minPixels: 3136, maxPixels: 12_845_056) == (336, 392))
        // 42/28 = 1.5 -> 2; 70/28 = 2.5 -> 2.
        #expect(try SmartResize.targetSize(height: 42, width: 70, minPixels: 1, maxPixels: 12_845_056) == (56, 56))
    }

    @Test func tinyImagesGoThroughTheMinBranch() throws {
        #expect(try SmartResize.targetSize(height: 1, width: 5, minPixels: 3136, maxPixels: 12_845_056) == (28, 140))
        #expect(try SmartResize.targetSize(height: 1, width: 1, minPixels: 3136, maxPixels: 12_845_056) == (56, 56))
        #expect(try SmartResize.targetSize(height: 14, width: 14, minPixels: 3136, maxPixels: 12_845_056) == (56, 56))
    }

    @Test func aspectRatioLimit() throws {
        // Exactly 200 is allowed; above it is rejected like transformers' ValueError.
        #expect(try SmartResize.targetSize(height: 10, width: 2000, minPixels: 3136, maxPixels: 12_845_056) == (28, 812))
        #expect(throws: PreprocessingError.aspectRatioTooLarge(height: 1, width: 201, ratio: 201)) {
            try SmartResize.targetSize(height: 1, width: 201, minPixels: 3136, maxPixels: 12_845_056)
        }
        #expect(throws: PreprocessingError.aspectRatioTooLarge(height: 3000, width: 14, ratio: 3000.0 / 14.0)) {
            try SmartResize.targetSize(height: 3000, width: 14, minPixels: 3136, maxPixels: 12_845_056)
        }
        let message = PreprocessingError.aspectRatioTooLarge(height: 1, width: 201, ratio: 201).description
        #expect(message.contains("absolute aspect ratio must be smaller than 200, got 201.0"))
    }

    @Test func invalidInputs() {
        #expect(throws: PreprocessingError.invalidDimensions(height: 0, width: 5)) {
            try SmartResize.targetSize(height: 0, width: 5, minPixels: 3136, maxPixels: 12_845_056)
        }
        #expect(throws: PreprocessingError.invalidDimensions(height: 5, width: -1)) {
            try SmartResize.targetSize(height: 5, width: -1, minPixels: 3136, maxPixels: 12_845_056)
        }
    }

    @Test func maxBranchNeverGoesBelowOneFactor() throws {
        // With a tiny max_pixels the floor would reach 0; the max(factor, ...) guard keeps 28.
        #expect(try SmartResize.targetSize(height: 28, width: 5000, minPixels: 1, maxPixels: 784 * 10) == (28, 1176))
    }

    @Test func matchesEveryFixture() throws {
        for c in PreprocessFixtures.cases {
            let (h, w) = try SmartResize.targetSize(height: c.height, width: c.width, minPixels: c.minPixels,
                                                    maxPixels: c.maxPixels)
            #expect(h == c.resizedHeight && w == c.resizedWidth, "\(c.name)")
        }
    }
}
