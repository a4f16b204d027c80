import Testing
@testable import VisionCore

@Suite struct JPEGEncoderTests {
    @Test func roundTripIsClose() throws {
        var rng = SplitMix(seed: 3)
        var image = RGBImage(width: 67, height: 45)
        for y in 0..<45 {
            for x in 0..<67 {
                let i = (y * 67 + x) * 3
                image.pixels[i] = UInt8(x * 3)
                image.pixels[i + 1] = UInt8(y * 5)
                image.pixels[i + 2] = UInt8(128 + Int(rng.next() % 9) - 4)
            }
        }
        let jpeg = try JPEGEncoder.encode(image, quality: 95)
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]))
        let header = try ImageDecoder.readHeader(jpeg)
        #expect(header == ImageHeader(format: .jpeg, width: 67, height: 45))
        let decoded = try ImageDecoder.decode(jpeg)
        var worst = 0
        for i in 0..<image.pixels.count { worst = max(worst, abs(Int(image.pixels[i]) - Int(decoded.pixels[i]))) }
        #expect(worst < 24)
    }

    @Test func qualityChangesSize() throws {
        var rng = SplitMix(seed: 9)
        let noise = RGBImage(width: 64, height: 64, pixels: (0..<(64 * 64 * 3)).map { _ in rng.byte() })
        let low = try JPEGEncoder.encode(noise, quality: 10)
        let high = try JPEGEncoder.encode(noise, quality: 100)
        #expect(low.count < high.count)
        // Out-of-range qualities are clamped to 1...100, not errors.
        #expect(try JPEGEncoder.encode(noise, quality: 0) == JPEGEncoder.encode(noise, quality: 1))
        #expect(try JPEGEncoder.encode(noise, quality: 1000) == high)
    }

    @Test func emptyImageIsAnError() {
        #expect(throws: JPEGEncodingError.self) { try JPEGEncoder.encode(RGBImage(width: 0, height: 5)) }
    }

    @Test func onePixel() throws {
        let jpeg = try JPEGEncoder.encode(RGBImage(width: 1, height: 1, fill: (200, 10, 10)))
        let back = try ImageDecoder.decode(jpeg)
        #expect(back.width == 1 && back.height == 1)
    }
}
