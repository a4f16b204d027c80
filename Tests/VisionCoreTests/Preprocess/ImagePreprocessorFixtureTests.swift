import Testing
@testable import VisionCore

/// The whole pipeline from the encoded bytes against transformers 5.24 `Qwen2VLImageProcessorPil`
/// fed with the image Pillow decodes from the same bytes. Bar: max |diff| <= 1e-6; in fact bit-exact
/// (FNV-1a-64 of the float32 bytes equal).
@Suite struct ImagePreprocessorFixtureTests {
    @Test(arguments: PreprocessFixtures.cases)
    func matchesTransformers(_ c: PreprocessFixtures.Case) throws {
        let processor = ImagePreprocessor(config: c.config)
        let (out, _) = try processor.preprocess(encoded: try PreprocessFixtures.bytes(c.file))
        #expect(out.gridTHW == c.gridTHW)
        #expect(out.patchCount == c.pixelValuesRows)
        #expect(out.pixelValues.count == c.pixelValuesRows * 1176)
        if let file = c.pixelValuesFile {
            let expected = try PreprocessFixtures.floats(file)
            let diff = maxAbsDiff(out.pixelValues, expected)
            #expect(diff <= 1e-6, "\(c.name): max abs diff \(diff)")
        }
        #expect(fnv1a64(out.pixelValues) == c.pixelValuesHash, "\(c.name): pixel_values are not bit-exact")
    }

    @Test(arguments: PreprocessFixtures.cases.filter { $0.pixelValuesRows <= 600 })
    func referencePipelineAgrees(_ c: PreprocessFixtures.Case) throws {
        let image = try ImageDecoder.decode(try PreprocessFixtures.bytes(c.file))
        let processor = ImagePreprocessor(config: c.config)
        let reference = try processor.preprocessReference(image)
        #expect(fnv1a64(reference.pixelValues) == c.pixelValuesHash, "\(c.name)")
        #expect(try processor.preprocess(image) == reference)
    }

    @Test func threadsGiveIdenticalResults() throws {
        for name in ["photo_640x480", "pattern_10x2000", "photo_1000x1000_down224", "pattern_5x1"] {
            let c = try #require(PreprocessFixtures.cases.first { $0.name == name })
            let bytes = try PreprocessFixtures.bytes(c.file)
            let one = try ImagePreprocessor(config: c.config).preprocess(encoded: bytes).image
            for threads in [2, 3] {
                let many = try ImagePreprocessor(config: c.config, threads: threads).preprocess(encoded: bytes).image
                #expect(many == one, "\(name) with \(threads) threads")
            }
            #expect(fnv1a64(one.pixelValues) == c.pixelValuesHash)
        }
    }

    @Test func torchvisionDifferenceIsRecorded() {
        // Reported, not bounded: the fixture script records the torchvision backend's deviation.
        let photos = PreprocessFixtures.cases.filter { $0.torchvisionMaxAbsDiff != nil }
        #expect(!photos.isEmpty)
    }
}

/// Hostile media through the whole pipeline (what the server's 400 responses carry).
@Suite struct ImagePreprocessorHostileTests {
    static let processor = ImagePreprocessor(config: .qwen25VLDefault)

    static func error(_ name: String) throws -> ImageInputError? {
        let bytes = try PreprocessFixtures.hostileBytes(name)
        do {
            _ = try processor.preprocess(encoded: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func aspectRatioOver200IsRejected() throws {
        #expect(try Self.error("aspect_201x1.png") ==
                .preprocessing(.aspectRatioTooLarge(height: 1, width: 201, ratio: 201)))
        #expect(try Self.error("aspect_1x300.png") ==
                .preprocessing(.aspectRatioTooLarge(height: 300, width: 1, ratio: 300)))
    }

    @Test func onePixelImageWorks() throws {
        let (out, _) = try Self.processor.preprocess(encoded: try PreprocessFixtures.hostileBytes("one_pixel.png"))
        #expect(out.gridTHW == [1, 4, 4])
    }

    @Test func decodingErrorsPassThrough() throws {
        #expect(try Self.error("bomb_100000x100000.png") ==
                .decoding(.tooManyPixels(width: 100000, height: 100000, limit: ImageDecoder.defaultMaxPixels)))
        #expect(try Self.error("garbage.bin") == .decoding(.unsupportedFormat))
        let truncated = try #require(try Self.error("truncated_half.jpg"))
        #expect(truncated.description.hasPrefix("truncated image data"))
        do {
            _ = try Self.processor.preprocess(encoded: [])
            Issue.record("empty input accepted")
        } catch {
            #expect(error == .decoding(.empty))
        }
    }

    @Test func decodedPixelLimitIsAParameter() throws {
        let bytes = try PreprocessFixtures.hostileBytes("valid_64.jpg")
        #expect(throws: ImageInputError.decoding(.tooManyPixels(width: 64, height: 64, limit: 100))) {
            try Self.processor.preprocess(encoded: bytes, maxDecodedPixels: 100)
        }
    }

    @Test func invalidConfigIsATypedError() {
        var config = PreprocessorConfig.qwen25VLDefault
        config.maxPixels = 10
        let processor = ImagePreprocessor(config: config)
        #expect(throws: PreprocessingError.self) { try processor.preprocess(RGBImage(width: 28, height: 28)) }
    }
}
