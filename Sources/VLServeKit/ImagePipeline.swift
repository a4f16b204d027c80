import Engine
import Foundation
import OpenAIAPI
import VisionCore

/// Fetch → decode → Qwen2.5-VL preprocess for every image of a request (blocking: runs on the
/// `WorkerPool`), through the `ImageCache`: an image whose encoder output is cached is neither decoded nor
/// preprocessed nor encoded again. Errors are 400s naming the failing part.
public struct ImagePipeline: Sendable {
    public let loader: MediaLoader
    public let preprocessor: ImagePreprocessor
    /// The image cache (disabled: capacity 0) and the scope its keys are hashed in.
    public let cache: ImageCache
    public let cacheScope: ImageCacheKey.Scope

    public init(loader: MediaLoader, preprocessor: ImagePreprocessor, cache: ImageCache = ImageCache(capacityBytes: 0),
                cacheScope: ImageCacheKey.Scope? = nil) {
        self.loader = loader
        self.preprocessor = preprocessor
        self.cache = cache
        self.cacheScope = cacheScope ?? ImageCacheKey.Scope(preprocessor: preprocessor, encoderLabels: [], weights: "unspecified")
    }

    /// The engine-ready images, in order; the seconds spent on all of them (fetching, hashing, cache lookups,
    /// decoding, preprocessing: the request's `preprocess_ms` phase); of those, the seconds spent decoding and
    /// preprocessing alone (`image_decode_ms` in the request's log line: 0 when every image was a cache hit);
    /// and what the cache did.
    public func prepare(_ references: [ImageReference]) throws(APIError)
        -> (images: [EngineImage], seconds: Double, decodeSeconds: Double, cache: ImageCache.Outcome) {
        let start = SystemClock.monotonicSeconds()
        var decodeSeconds = 0.0
        func preprocessTimed(_ bytes: [UInt8], param: String) throws(APIError) -> EngineImage {
            let t0 = SystemClock.monotonicSeconds()
            defer { decodeSeconds += SystemClock.monotonicSeconds() - t0 }
            return try preprocess(bytes, param: param)
        }
        var images: [EngineImage] = []
        images.reserveCapacity(references.count)
        var found = 0, complete = 0
        for reference in references {
            let bytes = try loader.load(reference.url, param: reference.param)
            guard cache.isEnabled else {
                images.append(try preprocessTimed(bytes, param: reference.param))
                continue
            }
            let key = cacheScope.key(bytes)
            if let entry = cache.lookup(key) {
                found += 1
                if let encoded = entry.encoded {
                    complete += 1
                    images.append(EngineImage(pixelValues: [], gridT: entry.gridT, gridH: entry.gridH, gridW: entry.gridW,
                                              encoded: encoded))
                    continue
                }
                if !entry.pixelValues.isEmpty {
                    var image = EngineImage(pixelValues: entry.pixelValues, gridT: entry.gridT, gridH: entry.gridH,
                                            gridW: entry.gridW)
                    image.onEncoded = storingOutput(key, of: image)
                    images.append(image)
                    continue
                }
            }
            var image = try preprocessTimed(bytes, param: reference.param)
            cache.insert(key, pixelValues: image.pixelValues, gridT: image.gridT, gridH: image.gridH, gridW: image.gridW)
            image.onEncoded = storingOutput(key, of: image)
            images.append(image)
        }
        let outcome: ImageCache.Outcome = !cache.isEnabled ? .off
            : complete == references.count ? .hit : found == 0 ? .miss : .partial
        return (images, SystemClock.monotonicSeconds() - start, decodeSeconds, outcome)
    }

    /// What the engine calls once it has encoded `image`: stores the output under `key` in the cache.
    private func storingOutput(_ key: ImageCacheKey, of image: EngineImage) -> @Sendable (EncodedImage) -> Void {
        let (cache, t, h, w) = (cache, image.gridT, image.gridH, image.gridW)
        return { output in cache.storeOutput(key, output, gridT: t, gridH: h, gridW: w) }
    }

    /// Decodes and preprocesses one image.
    private func preprocess(_ bytes: [UInt8], param: String) throws(APIError) -> EngineImage {
        do {
            let (image, _) = try preprocessor.preprocess(encoded: bytes, maxDecodedPixels: loader.options.maxDecodedPixels)
            return EngineImage(pixelValues: image.pixelValues, gridT: image.gridT, gridH: image.gridH, gridW: image.gridW)
        } catch {
            throw Self.undecodable(error, param: param)
        }
    }

    /// `<|image_pad|>` counts from the image headers only (no pixel decoding), for `/tokenize`.
    public func tokenCounts(_ references: [ImageReference]) throws(APIError) -> [Int] {
        var counts: [Int] = []
        for reference in references {
            let bytes = try loader.load(reference.url, param: reference.param)
            do {
                let header = try ImageDecoder.readHeader(bytes)
                counts.append(try preprocessor.tokenCount(height: header.height, width: header.width))
            } catch {
                throw APIError.invalidRequest("Could not read the image at `\(reference.param)`: \(error).",
                                              param: reference.param)
            }
        }
        return counts
    }

    static func undecodable(_ error: ImageInputError, param: String) -> APIError {
        .invalidRequest("Could not decode the image at `\(param)`: \(error.description). Send a JPEG or PNG image.",
                        param: param)
    }
}
