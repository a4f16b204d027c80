import Foundation
@testable import VisionCore

/// Locates Tests/VisionCoreTests/Fixtures/conv (made by scripts/fixtures/make_conv_fixtures.py) from this file.
enum ConvFixtures {
    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath)      // .../Tests/VisionCoreTests/Conv/ConvFixtures.swift
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/conv").path
    }()

    static func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    static func file(_ name: String) throws -> SafeTensorsFile { try SafeTensorsFile(path: path(name)) }
}

/// max |a − b| / max |b|: the relative error the brief's 1e-4 bound refers to (robust to outputs near zero).
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var maxDiff = 0.0
    var maxRef = 0.0
    for i in a.indices {
        maxDiff = max(maxDiff, abs(Double(a[i]) - Double(b[i])))
        maxRef = max(maxRef, abs(Double(b[i])))
    }
    return maxRef == 0 ? maxDiff : maxDiff / maxRef
}

/// A small deterministic generator for test inputs (SplitMix64 → uniform [-1, 1)).
struct TestRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-23 - 1
    }
    mutating func array(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}
