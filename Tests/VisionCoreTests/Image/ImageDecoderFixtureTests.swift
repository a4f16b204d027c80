import Testing
@testable import VisionCore

/// Decoding agrees byte for byte with Pillow 13 + transformers 5.24 `convert_to_rgb` on every fixture image
/// (JPEG baseline/progressive/gray/CMYK/4:4:4/4:2:2, PNG at every colour type and bit depth, transparency).
@Suite struct ImageDecoderFixtureTests {
    @Test(arguments: PreprocessFixtures.cases)
    func decodesLikePillow(_ c: PreprocessFixtures.Case) throws {
        let bytes = try PreprocessFixtures.bytes(c.file)
        let header = try ImageDecoder.readHeader(bytes)
        #expect(header.width == c.width && header.height == c.height)
        #expect(header.format == (c.file.hasSuffix(".png") ? .png : .jpeg))
        let image = try ImageDecoder.decode(bytes)
        #expect(image.width == c.width && image.height == c.height)
        if let file = c.decodedFile {
            let expected = try PreprocessFixtures.bytes(file)
            var mismatches = 0, maxDiff = 0
            for i in 0..<min(expected.count, image.pixels.count) where expected[i] != image.pixels[i] {
                mismatches += 1
                maxDiff = max(maxDiff, abs(Int(expected[i]) - Int(image.pixels[i])))
            }
            #expect(expected.count == image.pixels.count)
            #expect(mismatches == 0, "\(c.name) (\(c.pilMode)): \(mismatches) bytes differ, max \(maxDiff)")
        }
        #expect(fnv1a64(image.pixels) == c.decodedHash, "\(c.name): decoded pixels differ from Pillow's")
    }

    @Test func alphaCompositingIsExhaustivelyExact() throws {
        // Every (value, alpha) pair composited onto white, against Pillow's alpha_composite.
        let c = try #require(PreprocessFixtures.cases.first { $0.name == "png_alpha_exhaustive" })
        let image = try ImageDecoder.decode(try PreprocessFixtures.bytes(c.file))
        #expect(fnv1a64(image.pixels) == c.decodedHash)
        // Spot checks: alpha 0 -> white, alpha 255 -> the value itself.
        #expect(image[0, 200] == (255, 255, 255))  // x = alpha 0, y = value 200
        #expect(image[255, 200].r == 200)
    }
}
