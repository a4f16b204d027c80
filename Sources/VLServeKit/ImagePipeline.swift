import Engine
import Foundation
import OpenAIAPI
import VisionCore

/// An image part of a request: its URL and the request path of that URL (for error `param`s).
public struct ImageReference: Sendable, Equatable {
    public var url: String
    public var param: String

    public init(url: String, param: String) {
        self.url = url
        self.param = param
    }
}

/// Fetch → decode → Qwen2.5-VL preprocess for every image of a request (blocking: runs on the
/// `WorkerPool`). Errors are 400s naming the failing part.
public struct ImagePipeline: Sendable {
    public let loader: MediaLoader
    public let preprocessor: ImagePreprocessor

    public init(loader: MediaLoader, preprocessor: ImagePreprocessor) {
        self.loader = loader
        self.preprocessor = preprocessor
    }

    /// The engine-ready images, in order, and the seconds spent on all of them.
    public func prepare(_ references: [ImageReference]) throws(APIError) -> (images: [EngineImage], seconds: Double) {
        let start = SystemClock.monotonicSeconds()
        var images: [EngineImage] = []
        images.reserveCapacity(references.count)
        for reference in references {
            let bytes = try loader.load(reference.url, param: reference.param)
            do {
                let (image, _) = try preprocessor.preprocess(encoded: bytes, maxDecodedPixels: loader.options.maxDecodedPixels)
                images.append(EngineImage(pixelValues: image.pixelValues, gridT: image.gridT, gridH: image.gridH,
                                          gridW: image.gridW))
            } catch {
                throw Self.undecodable(error, param: reference.param)
            }
        }
        return (images, SystemClock.monotonicSeconds() - start)
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
