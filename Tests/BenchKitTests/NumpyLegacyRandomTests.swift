import Foundation
import Testing
@testable import BenchKit

/// Draw-for-draw checks against real numpy (Golden/numpy_arrivals.json, written by
/// scripts/fixtures/make_arrival_fixtures.py).
@Suite struct NumpyLegacyRandomTests {
    /// `numpy_arrivals.json`. Doubles are stored as decimal strings (exact round trip); uint32 draws as numbers.
    struct Golden: Decodable {
        let raw: [String: [Number]]
        let cases: [Case]
    }

    /// A golden double: a JSON number or a decimal string.
    struct Number: Decodable {
        let value: Double
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) {
                value = d
            } else {
                let text = try c.decode(String.self)
                guard let d = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number: \(text)")
                }
                value = d
            }
        }
    }

    /// One `get_request` schedule: its parameters and vLLM's send offsets.
    struct Case: Decodable {
        struct Ramp: Decodable {
            let strategy: String
            let start: Double
            let end: Double
        }
        let seed: Int
        let count: Int
        let requestRate: Number
        let burstiness: Number
        let rampUp: Ramp?
        let offsets: [Number]
        enum CodingKeys: String, CodingKey {
            case seed, count, burstiness, offsets
            case requestRate = "request_rate", rampUp = "ramp_up"
        }
    }

    static func golden() throws -> Golden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/numpy_arrivals.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    static func raw(_ name: String) throws -> [Double] {
        try #require(try golden().raw[name], "no raw series \(name)").map(\.value)
    }

    @Test func mersenneTwisterOutputsMatchNumpy() throws {
        let expected = try Self.raw("uint32_seed0")
        #expect(expected.count == 1300)
        var rng = NumpyLegacyRandom(seed: 0)
        let got = (0..<expected.count).map { _ in Double(rng.nextUInt32()) }
        #expect(got == expected)
    }

    @Test func doublesAndGaussiansMatchNumpy() throws {
        var rng = NumpyLegacyRandom(seed: 0)
        let doubles = try Self.raw("double_seed0")
        #expect(!doubles.isEmpty && doubles.map { _ in rng.double() } == doubles)
        var normal = NumpyLegacyRandom(seed: 5)
        let gaussians = try Self.raw("gauss_seed5")
        #expect(!gaussians.isEmpty && gaussians.map { _ in normal.gauss() } == gaussians)
    }

    @Test(arguments: ["0.25", "0.5", "1.0", "2.5", "7.0"])
    func gammaDrawsMatchNumpy(shape: String) throws {
        var rng = NumpyLegacyRandom(seed: 11)
        let expected = try Self.raw("gamma_seed11_shape\(shape)")
        #expect(expected.count == 400)
        let got = expected.map { _ in rng.gamma(shape: Double(shape)!, scale: 1.0) }
        #expect(got == expected)
    }

    /// The send offsets of `vllm bench serve`'s `get_request` for the same seed, bit for bit.
    @Test func scheduleMatchesVLLMsOffsets() throws {
        let cases = try Self.golden().cases
        #expect(cases.count == 6)
        for c in cases {
            let (seed, count) = (c.seed, c.count)
            let (rate, burstiness) = (c.requestRate.value, c.burstiness.value)
            var rampUp: RampUp?
            if let r = c.rampUp {
                let strategy = try #require(RampUp.Strategy(rawValue: r.strategy), "unknown ramp-up \(r.strategy)")
                rampUp = RampUp(strategy: strategy, startRPS: r.start, endRPS: r.end)
            }
            let expected = c.offsets.map(\.value)
            var rng = NumpyLegacyRandom(seed: UInt32(seed))
            let schedule = try ArrivalSchedule(count: count, requestRate: rate, burstiness: burstiness, rampUp: rampUp, rng: &rng)
            #expect(schedule.offsets == expected, "seed \(seed), rate \(rate), burstiness \(burstiness)")
        }
    }
}
