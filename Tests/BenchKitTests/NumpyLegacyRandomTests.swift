import Foundation
import Testing
@testable import BenchKit

/// Draw-for-draw checks against real numpy (Golden/numpy_arrivals.json, written by
/// scripts/fixtures/make_arrival_fixtures.py).
@Suite struct NumpyLegacyRandomTests {
    static func golden() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/numpy_arrivals.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    static func raw(_ name: String) -> [Double] {
        let values = (golden()["raw"] as? [String: Any])?[name] as? [Any] ?? []
        return values.compactMap { ($0 as? String).flatMap(Double.init) ?? ($0 as? NSNumber)?.doubleValue }
    }

    @Test func mersenneTwisterOutputsMatchNumpy() {
        let expected = Self.raw("uint32_seed0")
        #expect(expected.count == 1300)
        var rng = NumpyLegacyRandom(seed: 0)
        let got = (0..<expected.count).map { _ in Double(rng.nextUInt32()) }
        #expect(got == expected)
    }

    @Test func doublesAndGaussiansMatchNumpy() {
        var rng = NumpyLegacyRandom(seed: 0)
        let doubles = Self.raw("double_seed0")
        #expect(!doubles.isEmpty && doubles.map { _ in rng.double() } == doubles)
        var normal = NumpyLegacyRandom(seed: 5)
        let gaussians = Self.raw("gauss_seed5")
        #expect(!gaussians.isEmpty && gaussians.map { _ in normal.gauss() } == gaussians)
    }

    @Test(arguments: ["0.25", "0.5", "1.0", "2.5", "7.0"])
    func gammaDrawsMatchNumpy(shape: String) {
        var rng = NumpyLegacyRandom(seed: 11)
        let expected = Self.raw("gamma_seed11_shape\(shape)")
        #expect(expected.count == 400)
        let got = expected.map { _ in rng.gamma(shape: Double(shape)!, scale: 1.0) }
        #expect(got == expected)
    }

    /// The send offsets of `vllm bench serve`'s `get_request` for the same seed, bit for bit.
    @Test func scheduleMatchesVLLMsOffsets() throws {
        let cases = Self.golden()["cases"] as? [[String: Any]] ?? []
        #expect(cases.count == 6)
        for c in cases {
            let seed = try #require(c["seed"] as? Int)
            let count = try #require(c["count"] as? Int)
            let rate = try #require((c["request_rate"] as? String).flatMap(Double.init))
            let burstiness = try #require((c["burstiness"] as? String).flatMap(Double.init))
            var rampUp: RampUp?
            if let r = c["ramp_up"] as? [String: Any] {
                rampUp = RampUp(strategy: RampUp.Strategy(rawValue: r["strategy"] as? String ?? "")!,
                                startRPS: (r["start"] as? NSNumber)!.doubleValue, endRPS: (r["end"] as? NSNumber)!.doubleValue)
            }
            let expected = (c["offsets"] as? [String] ?? []).compactMap(Double.init)
            var rng = NumpyLegacyRandom(seed: UInt32(seed))
            let schedule = try ArrivalSchedule(count: count, requestRate: rate, burstiness: burstiness, rampUp: rampUp, rng: &rng)
            #expect(schedule.offsets == expected, "seed \(seed), rate \(rate), burstiness \(burstiness)")
        }
    }
}
