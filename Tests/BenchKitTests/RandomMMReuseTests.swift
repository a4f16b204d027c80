@testable import BenchKit
import Testing
import TextCore

/// `--random-mm-reuse-ratio` (a vlbench extension): a seeded share of images repeats an earlier request's image.
@Suite struct RandomMMReuseTests {
    /// `count` requests of one 2×2 noise image each; the "JPEG" is the raw pixels, so fresh images differ.
    static func sample(reuse: Double, count: Int = 1000, seed: UInt64 = 7) throws -> [[String]] {
        var d = RandomMMDataset()
        d.text.inputLen = 8
        d.text.outputLen = 4
        d.buckets = [MMBucket(height: 2, width: 2, frames: 1, probability: 1)]
        d.reuseRatio = reuse
        var rng = SeededRandom(seed: seed)
        return try d.sample(count: count, tokenizer: .stub, rng: &rng) { _, _, pixels, _ in pixels }.map(\.imageURLs)
    }

    @Test func sameSeedSameDataset() throws {
        #expect(try Self.sample(reuse: 0.5, count: 200) == Self.sample(reuse: 0.5, count: 200))
        #expect(try Self.sample(reuse: 0.5, count: 200) != Self.sample(reuse: 0.5, count: 200, seed: 8))
    }

    @Test func ratioZeroSendsDistinctImages() throws {
        let images = try Self.sample(reuse: 0).flatMap { $0 }
        #expect(images.count == 1000 && Set(images).count == 1000)
    }

    /// About half the images repeat one that an earlier request sent; the others are new.
    @Test func ratioHalfReusesEarlierImages() throws {
        let requests = try Self.sample(reuse: 0.5)
        var sent: Set<String> = []
        var reused = 0
        for urls in requests {
            #expect(urls.count == 1)
            if sent.contains(urls[0]) { reused += 1 }
            sent.formUnion(urls)
        }
        // 999 Bernoulli(0.5) draws (the first request has nothing to reuse): 5 standard deviations ≈ 79.
        #expect(abs(reused - 500) < 80, "reused \(reused) of 1000")
        #expect(sent.count == 1000 - reused)
    }

    @Test func ratioOutsideUnitIntervalIsRefused() {
        #expect(throws: DatasetError.self) { try Self.sample(reuse: 1.5, count: 1) }
        var flags = BenchmarkFlags()
        flags.datasetName = .randomMM
        flags.backend = .openaiChat
        flags.randomMMReuseRatio = -0.1
        #expect(throws: (any Error).self) { try BenchmarkOptions(flags: flags, environment: [:]) }
    }
}
