import Testing
@testable import VisionCore

@Suite struct RGBImageTests {
    @Test func layoutIsRowMajorInterleaved() {
        var image = RGBImage(width: 3, height: 2, fill: (1, 2, 3))
        #expect(image.pixels.count == 18)
        image.pixels[(1 * 3 + 2) * 3 + 1] = 99
        #expect(image[2, 1] == (1, 99, 3))
        #expect(image[0, 0] == (1, 2, 3))
    }

    @Test func formatSniffing() {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]
        jpeg.withUnsafeBytes { #expect(ImageFormat.sniff($0) == .jpeg) }
        png.withUnsafeBytes { #expect(ImageFormat.sniff($0) == .png) }
        Array("GIF89a".utf8).withUnsafeBytes { #expect(ImageFormat.sniff($0) == nil) }
        #expect(ImageFormat.png.mimeType == "image/png")
    }

    @Test func errorMessagesSayWhatWasWrong() {
        #expect(ImageDecodingError.tooManyPixels(width: 100, height: 200, limit: 10).description
                == "image is too large: 100x200 = 20000 pixels exceeds the limit of 10 pixels")
        #expect(ImageDecodingError.unsupportedFormat.description.contains("JPEG and PNG"))
        #expect(ImageDecodingError.invalidDimensions(width: 0, height: 3).description.contains("0x3"))
    }
}
