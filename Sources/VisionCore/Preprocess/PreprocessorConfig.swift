import Foundation

/// Why a `preprocessor_config.json` could not be used.
public enum PreprocessorConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    case fileNotFound(String)
    case invalidJSON(path: String, reason: String)
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(p): return "preprocessor config not found: \(p)"
        case let .invalidJSON(p, r): return "invalid JSON in \(p): \(r)"
        case let .invalidValue(f, r): return "invalid preprocessor config field '\(f)': \(r)"
        }
    }
}

/// The image-processor settings of a Qwen2-VL / Qwen2.5-VL checkpoint (`preprocessor_config.json`),
/// as used by transformers 5.24 `Qwen2VLImageProcessorPil`.
///
/// Only resizing, rescaling, normalising and patchifying are modelled: `do_resize`, `do_rescale`,
/// `do_normalize` and `do_convert_rgb` are always on (as in every Qwen2.5-VL checkpoint) and
/// `resample` is always bicubic.
public struct PreprocessorConfig: Sendable, Equatable {
    /// Lower bound on resized `H*W` in pixels (`min_pixels` / `size.shortest_edge`).
    public var minPixels: Int
    /// Upper bound on resized `H*W` in pixels (`max_pixels` / `size.longest_edge`).
    public var maxPixels: Int
    /// Spatial patch side in pixels (14).
    public var patchSize: Int
    /// Frames per temporal patch (2): a still image is duplicated to this many frames.
    public var temporalPatchSize: Int
    /// Side of the patch block merged into one LLM token (2); resize factor = `patchSize * mergeSize`.
    public var mergeSize: Int
    /// Per-channel (R, G, B) mean, applied after rescaling.
    public var imageMean: [Float]
    /// Per-channel (R, G, B) standard deviation.
    public var imageStd: [Float]
    /// Per-channel mean as written in the file (float64), converted to Float32 at use like numpy does.
    public var imageMeanDouble: [Double]
    /// Per-channel std as written in the file (float64).
    public var imageStdDouble: [Double]
    /// Rescale factor applied to uint8 values in float64 (1/255).
    public var rescaleFactor: Double

    /// OpenAI CLIP mean `[0.48145466, 0.4578275, 0.40821073]`.
    public static let clipMean: [Double] = [0.48145466, 0.4578275, 0.40821073]
    /// OpenAI CLIP std `[0.26862954, 0.26130258, 0.27577711]`.
    public static let clipStd: [Double] = [0.26862954, 0.26130258, 0.27577711]

    public init(minPixels: Int, maxPixels: Int, patchSize: Int = 14, temporalPatchSize: Int = 2,
                mergeSize: Int = 2, imageMean: [Double] = PreprocessorConfig.clipMean,
                imageStd: [Double] = PreprocessorConfig.clipStd, rescaleFactor: Double = 1.0 / 255.0) {
        self.minPixels = minPixels
        self.maxPixels = maxPixels
        self.patchSize = patchSize
        self.temporalPatchSize = temporalPatchSize
        self.mergeSize = mergeSize
        self.imageMeanDouble = imageMean
        self.imageStdDouble = imageStd
        self.imageMean = imageMean.map { Float($0) }
        self.imageStd = imageStd.map { Float($0) }
        self.rescaleFactor = rescaleFactor
    }

    /// The released Qwen2.5-VL checkpoints' values: min_pixels 3136, max_pixels 12845056 (16384·28·28),
    /// patch 14, temporal patch 2, merge 2, CLIP mean/std, rescale 1/255.
    public static let qwen25VLDefault = PreprocessorConfig(minPixels: 3136, maxPixels: 12_845_056)

    /// transformers' class defaults (`Qwen2VLImageProcessorPil`), used for fields missing from a file:
    /// min_pixels 3136 (56·56), max_pixels 1003520 (28·28·1280); other values as `qwen25VLDefault`.
    public static let classDefault = PreprocessorConfig(minPixels: 3136, maxPixels: 1_003_520)

    /// Resize factor `patchSize * mergeSize` (28).
    public var factor: Int { patchSize * mergeSize }
    /// Values per `pixel_values` row: `3 * temporalPatchSize * patchSize^2` (1176).
    public var patchDimension: Int { 3 * temporalPatchSize * patchSize * patchSize }

    /// Checks the values can be used (positive sizes, 3 means, nonzero stds, min <= max).
    public func validate() throws(PreprocessorConfigError) {
        func bad(_ f: String, _ r: String) -> PreprocessorConfigError { .invalidValue(field: f, reason: r) }
        if patchSize <= 0 { throw bad("patch_size", "must be positive, got \(patchSize)") }
        if temporalPatchSize <= 0 { throw bad("temporal_patch_size", "must be positive, got \(temporalPatchSize)") }
        if mergeSize <= 0 { throw bad("merge_size", "must be positive, got \(mergeSize)") }
        if minPixels <= 0 { throw bad("min_pixels", "must be positive, got \(minPixels)") }
        if maxPixels < minPixels { throw bad("max_pixels", "\(maxPixels) is below min_pixels \(minPixels)") }
        if imageMean.count != 3 { throw bad("image_mean", "needs 3 values, got \(imageMean.count)") }
        if imageStd.count != 3 { throw bad("image_std", "needs 3 values, got \(imageStd.count)") }
        if imageStd.contains(where: { $0 == 0 || !$0.isFinite }) { throw bad("image_std", "values must be finite and nonzero") }
        if !(rescaleFactor.isFinite && rescaleFactor > 0) { throw bad("rescale_factor", "must be positive") }
    }

    /// Reads `<modelDirectory>/preprocessor_config.json`.
    ///
    /// Like transformers 5.x: `size.shortest_edge`/`size.longest_edge` are read first, then top-level
    /// `min_pixels`/`max_pixels` override them; absent fields take `classDefault`'s values.
    public static func load(modelDirectory: String) throws -> PreprocessorConfig {
        let path = (modelDirectory as NSString).appendingPathComponent("preprocessor_config.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PreprocessorConfigError.fileNotFound(path)
        }
        return try parse(jsonData: data, path: path)
    }

    /// Parses the JSON text of a `preprocessor_config.json` with `JSONDecoder`; see `load(modelDirectory:)`.
    /// Absent or null fields keep `classDefault`'s values; `image_mean`/`image_std` may be one number or a list;
    /// a `size` that is not an object is ignored (as transformers does for the keys it lacks).
    public static func parse(jsonData: Data, path: String = "preprocessor_config.json") throws -> PreprocessorConfig {
        let config: PreprocessorConfig
        do {
            config = try JSONDecoder().decode(Document.self, from: jsonData).config
        } catch let error as PreprocessorConfigError {
            throw error
        } catch let error as JSONFieldError {
            switch error {
            case .notAnObject:
                throw PreprocessorConfigError.invalidJSON(path: path, reason: "top level is not an object")
            case .wrongType(let key, let expected, let found):
                throw PreprocessorConfigError.invalidValue(field: key, reason: "expected \(expected), got \(found)")
            }
        } catch {
            throw PreprocessorConfigError.invalidJSON(path: path, reason: JSONFields.describe(error))
        }
        try config.validate()
        return config
    }

    /// Reads the fields of a `preprocessor_config.json` object over `classDefault`.
    private init(fields: JSONFields) throws {
        /// Pixel counts and sizes: exact integers below 1e15.
        func int(_ r: JSONFields, _ key: String) throws -> Int? {
            guard let v = try r.int(key) else { return nil }
            guard abs(v) < 1_000_000_000_000_000 else {
                throw PreprocessorConfigError.invalidValue(field: r.fullKey(key), reason: "expected an integer, got \(v)")
            }
            return v
        }
        /// One number (used for all three channels) or a list of numbers.
        func perChannel(_ key: String) throws -> [Double]? {
            if let n = try? fields.double(key) { return [n, n, n] }
            do {
                return try fields.doubleArray(key)
            } catch {
                throw PreprocessorConfigError.invalidValue(field: key, reason: "expected a list of numbers")
            }
        }
        self = Self.classDefault
        if let size = try? fields.object("size") {
            if let v = try int(size, "shortest_edge") { minPixels = v }
            if let v = try int(size, "longest_edge") { maxPixels = v }
        }
        if let v = try int(fields, "min_pixels") { minPixels = v }
        if let v = try int(fields, "max_pixels") { maxPixels = v }
        if let v = try int(fields, "patch_size") { patchSize = v }
        if let v = try int(fields, "temporal_patch_size") { temporalPatchSize = v }
        if let v = try int(fields, "merge_size") { mergeSize = v }
        if let v = try fields.double("rescale_factor") { rescaleFactor = v }
        if let v = try perChannel("image_mean") {
            imageMeanDouble = v
            imageMean = v.map { Float($0) }
        }
        if let v = try perChannel("image_std") {
            imageStdDouble = v
            imageStd = v.map { Float($0) }
        }
    }

    /// The whole `preprocessor_config.json` document, for `JSONDecoder`.
    private struct Document: Decodable {
        let config: PreprocessorConfig
        init(from decoder: any Decoder) throws {
            config = try PreprocessorConfig(fields: JSONFields(decoder))
        }
    }
}
