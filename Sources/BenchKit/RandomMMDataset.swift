import Foundation
import OpenAIAPI
import TextCore

/// Encodes an RGB image (`rgb`: [height, width, 3] row-major bytes) to JPEG at `quality` (1–100).
public typealias JPEGEncodeFunction = @Sendable (_ width: Int, _ height: Int, _ rgb: [UInt8], _ quality: Int) throws -> [UInt8]

/// The `random-mm` dataset (vllm-bench-compat.md §5.2): the `random` text, plus per request a number
/// of random-noise images drawn from the bucket config, JPEG quality 75, as base64 data URLs.
public struct RandomMMDataset: Sendable {
    public var text = RandomDataset()
    public var baseItemsPerRequest: Int = 1
    public var numItemsRangeRatio: Double = 0
    /// Per-modality caps (`--random-mm-limit-mm-per-prompt`).
    public var limits: [String: Int] = ["image": 255, "video": 1]
    public var buckets: [MMBucket] = RandomMMDataset.defaultBuckets
    public var jpegQuality = 75
    /// `--random-mm-reuse-ratio` (a vlbench extension; vLLM has no such flag), in [0, 1]: the share of images that
    /// repeat an image sent by an earlier request (the same data URL, picked uniformly among the distinct images
    /// of earlier requests), drawn from a generator seeded off the dataset's; the rest are fresh noise images. 0
    /// (the default) draws exactly vLLM's dataset shape and vlbench's earlier datasets.
    public var reuseRatio: Double = 0

    public static let defaultBuckets = [
        MMBucket(height: 256, width: 256, frames: 1, probability: 0.5),
        MMBucket(height: 720, width: 1280, frames: 1, probability: 0.5),
        MMBucket(height: 720, width: 1280, frames: 16, probability: 0.0),
    ]

    public init() {}

    /// Parses a Python-literal dict such as `{(256, 256, 1): 0.5, (720, 1280, 1): 0.5}`.
    public static func parseBuckets(_ s: String) throws(DatasetError) -> [MMBucket] {
        var out: [MMBucket] = []
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "(") {
            guard let close = rest[open...].firstIndex(of: ")") else { break }
            let dims = rest[rest.index(after: open)..<close].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard dims.count == 3, let h = Int(dims[0]), let w = Int(dims[1]), let t = Int(dims[2]), h > 0, w > 0, t > 0 else {
                throw DatasetError("bad bucket key '(\(rest[rest.index(after: open)..<close]))' in --random-mm-bucket-config; expected (H, W, T)")
            }
            var after = rest[rest.index(after: close)...]
            guard let colon = after.firstIndex(of: ":") else { throw DatasetError("missing ':' after bucket (\(h), \(w), \(t))") }
            after = after[after.index(after: colon)...]
            let end = after.firstIndex(where: { $0 == "," || $0 == "}" }) ?? after.endIndex
            guard let p = Double(after[..<end].trimmingCharacters(in: .whitespaces)), p >= 0 else {
                throw DatasetError("bad probability for bucket (\(h), \(w), \(t))")
            }
            out.append(MMBucket(height: h, width: w, frames: t, probability: p))
            rest = after[end...]
        }
        guard !out.isEmpty else { throw DatasetError("--random-mm-bucket-config has no (H, W, T): p entries: '\(s)'") }
        return out
    }

    /// Parses `{"image": 255, "video": 1}`.
    public static func parseLimits(_ s: String) throws(DatasetError) -> [String: Int] {
        guard let j = try? JSONParser.parse(s), let o = j.objectValue else {
            throw DatasetError("--random-mm-limit-mm-per-prompt must be a JSON object, got '\(s)'")
        }
        var d: [String: Int] = [:]
        for (k, v) in o {
            guard let n = v.integralValue, n >= 0 else { throw DatasetError("limit for '\(k)' must be a non-negative integer") }
            d[k] = n
        }
        return d
    }

    /// Draws `count` requests with images. Video buckets (T > 1) with non-zero probability are
    /// rejected: vlbench sends images only.
    public func sample(count: Int, tokenizer: TextTokenizer, rng: inout SeededRandom,
                       encodeJPEG: JPEGEncodeFunction) throws(DatasetError) -> [SampleRequest] {
        var reqs = try text.sample(count: count, tokenizer: tokenizer, rng: &rng)
        let live = buckets.filter { $0.probability > 0 }
        guard !live.isEmpty else { throw DatasetError("--random-mm-bucket-config: all probabilities are 0") }
        if live.contains(where: { $0.frames > 1 }) {
            throw DatasetError("--random-mm-bucket-config: video buckets (T > 1) are not supported by vlbench")
        }
        let n = baseItemsPerRequest, r = numItemsRangeRatio
        guard (0...1).contains(r) else { throw DatasetError("--random-mm-num-mm-items-range-ratio must be in [0, 1]") }
        let capSum = live.reduce(0) { $0 + ($1.frames == 1 ? (limits["image"] ?? 255) : (limits["video"] ?? 1)) }
        let lo = max(0, Int((Double(n) * (1 - r)).rounded(.down)))
        let hi = min(capSum, Int((Double(n) * (1 + r)).rounded(.up)))
        guard lo <= hi else { throw DatasetError("random-mm item count range [\(lo), \(hi)] is empty (limit \(capSum))") }
        let imageCap = limits["image"] ?? 255
        guard (0...1).contains(reuseRatio) else {
            throw DatasetError("--random-mm-reuse-ratio must be in [0, 1], got \(reuseRatio)")
        }
        // Only a reusing run draws from the main generator here, so ratio 0 leaves the dataset as it was.
        var reuse = SeededRandom(seed: reuseRatio > 0 ? rng.next() : 0)
        var earlier: [String] = []  // distinct images of earlier requests, in first-sent order
        for i in 0..<count {
            let items = rng.int(in: lo, hi)
            var urls: [String] = []
            var fresh: [String] = []
            for _ in 0..<min(items, imageCap) {
                if reuseRatio > 0, !earlier.isEmpty, reuse.uniform() < reuseRatio {
                    urls.append(earlier[reuse.int(in: 0, earlier.count - 1)])
                    continue
                }
                let b = Self.choose(live, &rng)
                var pixels = [UInt8](repeating: 0, count: b.height * b.width * 3)
                var k = 0
                while k < pixels.count {
                    var v = rng.next()
                    for _ in 0..<8 where k < pixels.count { pixels[k] = UInt8(truncatingIfNeeded: v); v >>= 8; k += 1 }
                }
                let jpeg: [UInt8]
                do { jpeg = try encodeJPEG(b.width, b.height, pixels, jpegQuality) } catch {
                    throw DatasetError("JPEG encoding of a \(b.width)x\(b.height) noise image failed: \(error)")
                }
                urls.append("data:image/jpeg;base64," + Data(jpeg).base64EncodedString())
                if reuseRatio > 0 { fresh.append(urls[urls.count - 1]) }
            }
            earlier += fresh
            reqs[i].imageURLs = urls
        }
        return reqs
    }

    static func choose(_ buckets: [MMBucket], _ rng: inout SeededRandom) -> MMBucket {
        let total = buckets.reduce(0) { $0 + $1.probability }
        var u = rng.uniform() * total
        for b in buckets {
            if u < b.probability { return b }
            u -= b.probability
        }
        return buckets[buckets.count - 1]
    }
}
