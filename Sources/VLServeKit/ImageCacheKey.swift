import Engine
import VisionCore

/// The key of an `ImageCache` entry: the SHA-256 of the cache's scope (what turns the bytes into the stored
/// values) followed by the image's encoded bytes as received (after base64 decoding or the fetch).
public struct ImageCacheKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32-byte digest as four big-endian words.
    public let words: (UInt64, UInt64, UInt64, UInt64)

    init(digest: [UInt8]) {
        precondition(digest.count == 32)
        func word(_ i: Int) -> UInt64 { digest[(8 * i)..<(8 * i + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        words = (word(0), word(1), word(2), word(3))
    }

    public static func == (a: ImageCacheKey, b: ImageCacheKey) -> Bool { a.words == b.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The digest in hex (64 digits).
    public var description: String {
        [words.0, words.1, words.2, words.3].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Everything besides the image bytes that decides what a cache entry holds: the preprocessing parameters
    /// (they decide `pixel_values` and the grid) and the encoder's configuration (it decides the output).
    /// The identity text is hashed first, length-prefixed, so no identity can pass for a prefix of the bytes.
    public struct Scope: Sendable {
        /// The canonical text, e.g. `preprocess min_pixels=3136 max_pixels=12845056 ...; encoder encoder=patch-embed
        /// conv_impl=gemm ...; weights seeded:0`.
        public let identity: String
        /// SHA-256 state after the length-prefixed identity.
        private let prefix: SHA256

        public init(identity: String) {
            self.identity = identity
            var hasher = SHA256()
            let text = Array(identity.utf8)
            var count = UInt64(text.count).bigEndian
            withUnsafeBytes(of: &count) { hasher.update($0) }
            hasher.update(text)
            prefix = hasher
        }

        /// The scope of a server: `preprocessor`'s `PreprocessorConfig` (min/max pixels, patch, temporal patch and
        /// merge sizes, rescale factor, mean and std as float64, bicubic resampling) and frames per patch row;
        /// `encoderLabels` (`VisionEncoder.metricLabels`: scope patch-embed|full, conv implementation, GEMM
        /// backend, dtype, tower operators); and `weights`, what identifies the weights (checkpoint path or seed).
        public init(preprocessor: ImagePreprocessor, encoderLabels: [(String, String)], weights: String) {
            let c = preprocessor.config
            let preprocess = "min_pixels=\(c.minPixels) max_pixels=\(c.maxPixels) patch_size=\(c.patchSize) "
                + "temporal_patch_size=\(c.temporalPatchSize) merge_size=\(c.mergeSize) rescale_factor=\(c.rescaleFactor) "
                + "image_mean=\(c.imageMeanDouble) image_std=\(c.imageStdDouble) resample=bicubic "
                + "frames_per_patch=\(preprocessor.framesPerPatch)"
            let encoder = encoderLabels.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            self.init(identity: "preprocess \(preprocess); encoder \(encoder.isEmpty ? "none" : encoder); weights \(weights)")
        }

        /// The key of the image whose encoded bytes are `bytes`.
        public func key(_ bytes: [UInt8]) -> ImageCacheKey {
            var hasher = prefix
            hasher.update(bytes)
            return ImageCacheKey(digest: hasher.finalize())
        }
    }
}
