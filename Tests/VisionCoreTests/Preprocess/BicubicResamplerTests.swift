import Testing
@testable import VisionCore

/// Pillow-exact bicubic: the fast resampler against the reference one and against Pillow's output.
@Suite struct BicubicResamplerTests {
    static func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var rng = SplitMix(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<pixels.count {
            // Mix of noise and hard 0/255 edges so clipping and negative lobes are exercised.
            let r = rng.next()
            pixels[i] = r % 5 == 0 ? (r % 2 == 0 ? 0 : 255) : UInt8(truncatingIfNeeded: r >> 8)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static let shapes: [(Int, Int, Int, Int)] = [
        (5, 1, 140, 28), (1, 1, 56, 56), (30, 20, 84, 56), (100, 100, 112, 112), (350, 350, 336, 336),
        (57, 28, 84, 56), (28, 57, 56, 84), (97, 131, 28, 28), (300, 40, 56, 112), (64, 64, 64, 65),
        (200, 150, 37, 201), (1000, 3, 28, 56), (13, 999, 28, 280),
    ]

    @Test(arguments: BicubicResampler.Kernel.allCases)
    func fastMatchesReference(_ kernel: BicubicResampler.Kernel) {
        for (i, (w0, h0, w, h)) in Self.shapes.enumerated() {
            let image = Self.randomImage(width: w0, height: h0, seed: UInt64(i))
            let fast = BicubicResampler.resize(image, width: w, height: h, kernel: kernel)
            let reference = BicubicResamplerReference.resize(image, width: w, height: h)
            #expect(fast.width == w && fast.height == h)
            #expect(fast == reference, "\(kernel): \(w0)x\(h0) -> \(w)x\(h)")
        }
    }

    @Test func kernelsAgreeOnLargerImages() {
        // Widths that exercise the AVX2 pairs, the scalar tail and every tap count.
        for (i, (w0, h0, w, h)) in [(1280, 72, 1288, 84), (301, 40, 99, 56), (97, 33, 1001, 28), (640, 48, 644, 28),
                                    (1000, 20, 224, 56)].enumerated() {
            let image = Self.randomImage(width: w0, height: h0, seed: UInt64(50 + i))
            let swift = BicubicResampler.resize(image, width: w, height: h, kernel: .swift)
            #expect(BicubicResampler.resize(image, width: w, height: h, kernel: .c) == swift, "c \(w0)->\(w)")
            #expect(BicubicResampler.resize(image, width: w, height: h, kernel: .simd) == swift, "simd \(w0)->\(w)")
        }
    }

    @Test func paddedCoefficientsKeepTheSums() {
        for (inSize, outSize) in [(5, 140), (1000, 224), (350, 336), (1, 28), (3, 2), (720, 728)] {
            let c = BicubicCoefficients(inSize: inSize, outSize: outSize)
            let (taps, starts, weights) = c.padded()
            #expect(taps == min(c.kernelSize, inSize))
            for o in 0..<outSize {
                #expect(Int(starts[o]) + taps <= inSize)
                // Same weight at the same input index, zeros elsewhere.
                for x in 0..<inSize {
                    let original = (x >= Int(c.starts[o]) && x < Int(c.starts[o] + c.counts[o]))
                        ? c.weights[o * c.kernelSize + x - Int(c.starts[o])] : 0
                    let padded = (x >= Int(starts[o]) && x < Int(starts[o]) + taps) ? weights[o * taps + x - Int(starts[o])] : 0
                    #expect(original == padded)
                }
            }
        }
    }

    @Test func sameSizeIsIdentity() {
        let image = Self.randomImage(width: 31, height: 17, seed: 99)
        #expect(BicubicResampler.resize(image, width: 31, height: 17) == image)
        #expect(BicubicResamplerReference.resize(image, width: 31, height: 17) == image)
    }

    @Test func constantImageStaysConstant() {
        let image = RGBImage(width: 40, height: 30, fill: (7, 128, 250))
        let out = BicubicResampler.resize(image, width: 84, height: 56)
        for y in 0..<56 { for x in 0..<84 { #expect(out[x, y] == (7, 128, 250)) } }
    }

    @Test func coefficientsAreNormalisedAndBounded() {
        for (inSize, outSize) in [(5, 140), (1000, 224), (350, 336), (1, 28), (28, 28), (720, 728)] {
            let c = BicubicCoefficients(inSize: inSize, outSize: outSize)
            #expect(c.kernelSize == Int((2.0 * max(Double(inSize) / Double(outSize), 1)).rounded(.up)) * 2 + 1)
            for o in 0..<outSize {
                let start = Int(c.starts[o]), n = Int(c.counts[o])
                #expect(start >= 0 && n >= 1 && start + n <= inSize && n <= c.kernelSize)
                let sum = (0..<n).reduce(0) { $0 + Int(c.weights[o * c.kernelSize + $1]) }
                #expect(abs(sum - (1 << 22)) <= n)  // rounding of each weight
            }
        }
    }

    @Test(arguments: PreprocessFixtures.resizeGrid)
    func matchesPillowOnManySizes(_ grid: PreprocessFixtures.ResizeGrid) throws {
        let image = RGBImage(width: grid.width, height: grid.height, pixels: try PreprocessFixtures.bytes(grid.source))
        var verticalFirst = 0
        for (w, h, hash) in grid.outputs {
            let fast = BicubicResampler.resize(image, width: w, height: h)
            #expect(fnv1a64(fast.pixels) == hash, "\(grid): -> \(w)x\(h)")
            #expect(BicubicResampler.resize(image, width: w, height: h, kernel: .swift) == fast, "\(grid): -> \(w)x\(h)")
            if w * h <= 4096 {
                #expect(BicubicResamplerReference.resize(image, width: w, height: h) == fast, "\(grid): -> \(w)x\(h)")
            }
            if w != grid.width && BicubicResampler.verticalFirst(fromWidth: grid.width, fromHeight: grid.height,
                                                                  toWidth: w, toHeight: h) { verticalFirst += 1 }
        }
        #expect(verticalFirst > 0 && verticalFirst < grid.outputs.count)
    }

    @Test func passOrderRule() {
        // Pillow 13: vertical first iff the height shrinks by more than twice as many pixels as the width.
        #expect(BicubicResampler.verticalFirst(fromWidth: 200, fromHeight: 150, toWidth: 196, toHeight: 140))
        #expect(!BicubicResampler.verticalFirst(fromWidth: 80, fromHeight: 80, toWidth: 70, toHeight: 60))  // 20 == 2*10
        #expect(BicubicResampler.verticalFirst(fromWidth: 80, fromHeight: 80, toWidth: 70, toHeight: 59))
        #expect(!BicubicResampler.verticalFirst(fromWidth: 40, fromHeight: 40, toWidth: 44, toHeight: 44))  // no shrink
        #expect(!BicubicResampler.verticalFirst(fromWidth: 1280, fromHeight: 720, toWidth: 1288, toHeight: 728))
    }

    @Test(arguments: PreprocessFixtures.cases)
    func matchesPillowResize(_ c: PreprocessFixtures.Case) throws {
        // Input: the decoded fixture (Pillow's pixels) when stored, else our decoder's output (which the
        // decoding tests prove identical by hash).
        let image: RGBImage
        if let file = c.decodedFile {
            image = RGBImage(width: c.width, height: c.height, pixels: try PreprocessFixtures.bytes(file))
        } else {
            image = try ImageDecoder.decode(try PreprocessFixtures.bytes(c.file))
        }
        let out = BicubicResampler.resize(image, width: c.resizedWidth, height: c.resizedHeight)
        if let file = c.resizedFile {
            let expected = try PreprocessFixtures.bytes(file)
            let diff = zip(expected, out.pixels).filter { $0 != $1 }.count
            #expect(diff == 0, "\(c.name): \(diff) bytes differ from Pillow")
        }
        #expect(fnv1a64(out.pixels) == c.resizedHash, "\(c.name): resized pixels differ from Pillow's")
    }
}
