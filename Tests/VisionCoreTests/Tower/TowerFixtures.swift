import Foundation
@testable import VisionCore

/// Tests/VisionCoreTests/Fixtures/tower (made by scripts/fixtures/make_tower_fixtures.py) and the configs it used
/// (its SMALL config is `VisionConfig.smallTower`).
enum TowerFixtures {
    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath)      // .../Tests/VisionCoreTests/Tower/TowerFixtures.swift
        return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/tower").path
    }()

    static func file(_ name: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(path: (directory as NSString).appendingPathComponent(name))
    }

    /// The 7B vision config (VisionConfig's defaults).
    static var real: VisionConfig { VisionConfig() }

    /// The script's pixel values of case `name`: `SeededInit(seed: 0).uniform("pixel_values.<name>", bound: 2)`.
    static func pixelValues(_ name: String, rows: Int) -> [Float] {
        SeededInit(seed: 0).uniform("pixel_values.\(name)", count: rows * 1176, bound: 2)
    }

    static func grids(_ file: SafeTensorsFile, _ name: String) throws -> [GridTHW] {
        let values = try file.int64s(name).map(Int.init)
        return stride(from: 0, to: values.count, by: 3).map { GridTHW(t: values[$0], h: values[$0 + 1], w: values[$0 + 2]) }
    }
}

/// Cosine similarity of two equally long vectors (float64).
func cosine(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices {
        dot += Double(a[i]) * Double(b[i])
        na += Double(a[i]) * Double(a[i])
        nb += Double(b[i]) * Double(b[i])
    }
    return dot / max((na * nb).squareRoot(), .leastNormalMagnitude)
}
