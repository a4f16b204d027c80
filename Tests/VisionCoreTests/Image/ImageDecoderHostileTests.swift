import Testing
@testable import VisionCore

/// Hostile and broken media: every case is a typed error with a clear message, never a crash.
@Suite struct ImageDecoderHostileTests {
    static func decodeError(_ bytes: [UInt8], maxPixels: Int = ImageDecoder.defaultMaxPixels) -> ImageDecodingError? {
        do {
            _ = try ImageDecoder.decode(bytes, maxPixels: maxPixels)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ name: String) throws -> ImageDecodingError? {
        decodeError(try PreprocessFixtures.hostileBytes(name))
    }

    @Test func emptyInput() {
        #expect(Self.decodeError([]) == .empty)
        #expect(throws: ImageDecodingError.empty) { try ImageDecoder.readHeader([]) }
        #expect(ImageDecodingError.empty.description == "image data is empty")
    }

    @Test func unknownFormats() throws {
        #expect(try Self.error("garbage.bin") == .unsupportedFormat)
        #expect(try Self.error("gif_header.gif") == .unsupportedFormat)
        #expect(Self.decodeError(Array("hello".utf8)) == .unsupportedFormat)
        #expect(Self.decodeError([0xFF, 0xD8]) == .unsupportedFormat)  // too short for the JPEG signature
    }

    @Test func validHostileControls() throws {
        #expect(try Self.error("valid_64.jpg") == nil)
        #expect(try Self.error("valid_64.png") == nil)
        #expect(try Self.error("one_pixel.png") == nil)
    }

    @Test(arguments: ["truncated_half.jpg", "truncated_header.jpg", "truncated_progressive.jpg",
                      "truncated_half.png", "truncated_header.png", "jpeg_magic_only.jpg", "png_signature_only.png"])
    func truncatedFiles(_ name: String) throws {
        let error = try #require(try Self.error(name), "\(name) decoded although truncated")
        guard case let .truncated(message) = error else {
            Issue.record("\(name): expected .truncated, got \(error)")
            return
        }
        #expect(!message.isEmpty)
        #expect(error.description.hasPrefix("truncated image data"))
    }

    @Test(arguments: ["corrupt_idat.png", "bad_ihdr_depth.png"])
    func corruptPNG(_ name: String) throws {
        let error = try #require(try Self.error(name))
        guard case .corrupt = error else {
            Issue.record("\(name): expected .corrupt, got \(error)")
            return
        }
    }

    @Test func corruptJPEGScanIsDecodedOrRejectedButNeverCrashes() throws {
        // libjpeg (like Pillow) resynchronises on most damaged entropy data; either outcome is fine.
        let bytes = try PreprocessFixtures.hostileBytes("corrupt_scan.jpg")
        do {
            // Decoded: an image of the size its header gives, fully filled.
            let image = try ImageDecoder.decode(bytes)
            let header = try ImageDecoder.readHeader(bytes)
            #expect(image.width == header.width && image.height == header.height)
            #expect(image.pixels.count == header.width * header.height * 3)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    @Test func decompressionBombsAreRejectedFromTheHeader() throws {
        let jpeg = try PreprocessFixtures.hostileBytes("bomb_60000x60000.jpg")
        #expect(jpeg.count < 10_000)
        let header = try ImageDecoder.readHeader(jpeg)
        #expect(header.width == 60000 && header.height == 60000)
        #expect(Self.decodeError(jpeg) == .tooManyPixels(width: 60000, height: 60000, limit: ImageDecoder.defaultMaxPixels))
        let png = try PreprocessFixtures.hostileBytes("bomb_100000x100000.png")
        #expect(Self.decodeError(png) == .tooManyPixels(width: 100000, height: 100000, limit: ImageDecoder.defaultMaxPixels))
        let wide = try PreprocessFixtures.hostileBytes("bomb_2147483647x1.png")
        #expect(Self.decodeError(wide) == .tooManyPixels(width: 2147483647, height: 1, limit: ImageDecoder.defaultMaxPixels))
        let error = try #require(Self.decodeError(jpeg))
        #expect(error.description.contains("60000x60000"))
    }

    @Test func jpegBeyondLibjpegDimensionLimit() throws {
        let error = try #require(try Self.error("bomb_65535x65535.jpg"))
        switch error {
        case .limitExceeded, .tooManyPixels: break
        default: Issue.record("expected a size limit error, got \(error)")
        }
    }

    @Test func pixelLimitIsConfigurable() throws {
        let bytes = try PreprocessFixtures.hostileBytes("valid_64.png")
        #expect(Self.decodeError(bytes, maxPixels: 64 * 64) == nil)
        #expect(Self.decodeError(bytes, maxPixels: 64 * 64 - 1) == .tooManyPixels(width: 64, height: 64, limit: 4095))
    }

    @Test func zeroSizedImages() throws {
        #expect(try Self.error("zero_width.png") == .invalidDimensions(width: 0, height: 1))
        #expect(try Self.error("zero_height.jpg") == .invalidDimensions(width: 64, height: 0))
    }

    @Test func everyPrefixOfAValidFileFailsCleanly() throws {
        for name in ["valid_64.jpg", "valid_64.png"] {
            let bytes = try PreprocessFixtures.hostileBytes(name)
            // A PNG missing only its IEND chunk and the last IDAT CRC still decodes (Pillow accepts it too).
            let end = name.hasSuffix(".png") ? bytes.count - 16 : bytes.count
            var step = 1
            var n = 0
            while n < end {
                let error = Self.decodeError(Array(bytes[0..<n]))
                #expect(error != nil, "\(name): prefix of \(n) bytes decoded")
                n += step
                step = n < 64 ? 1 : 7
            }
        }
    }

    @Test func randomByteDamageNeverCrashes() throws {
        var rng = SplitMix(seed: 7)
        for name in ["valid_64.jpg", "valid_64.png", "truncated_progressive.jpg"] {
            let original = try PreprocessFixtures.hostileBytes(name)
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<Int(rng.next() % 8 + 1) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                if let error = Self.decodeError(bytes) { #expect(!error.description.isEmpty) }
            }
        }
    }
}

/// Small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
