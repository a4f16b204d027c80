import Foundation
@testable import VisionCore

/// Access to Tests/VisionCoreTests/Fixtures/preprocess (written by scripts/fixtures/make_preprocess_fixtures.py).
enum PreprocessFixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/preprocess")

    struct Case: Sendable, Decodable, CustomStringConvertible {
        let name: String
        let file: String
        let note: String
        let pilMode: String
        let minPixels: Int
        let maxPixels: Int
        let width: Int
        let height: Int
        let resizedWidth: Int
        let resizedHeight: Int
        let gridTHW: [Int]
        let decodedHash: String
        let resizedHash: String
        let pixelValuesHash: String
        let pixelValuesRows: Int
        let decodedFile: String?
        let resizedFile: String?
        let pixelValuesFile: String?
        let torchvisionMaxAbsDiff: Double?
        var description: String { name }

        var config: PreprocessorConfig { PreprocessorConfig(minPixels: minPixels, maxPixels: maxPixels) }

        enum CodingKeys: String, CodingKey {
            case name, file, note, width, height
            case pilMode = "pil_mode", minPixels = "min_pixels", maxPixels = "max_pixels"
            case resizedWidth = "resized_width", resizedHeight = "resized_height", gridTHW = "grid_thw"
            case decodedHash = "decoded_fnv1a64", resizedHash = "resized_fnv1a64"
            case pixelValuesHash = "pixel_values_fnv1a64", pixelValuesRows = "pixel_values_rows"
            case decodedFile = "decoded", resizedFile = "resized", pixelValuesFile = "pixel_values"
            case torchvisionMaxAbsDiff = "torchvision_max_abs_diff"
        }
    }

    struct Hostile: Sendable, Decodable, CustomStringConvertible {
        let file: String
        let pillow: String
        var name: String { (file as NSString).lastPathComponent }
        var description: String { name }
    }

    struct ResizeGrid: Sendable, Decodable, CustomStringConvertible {
        let source: String
        let width: Int
        let height: Int
        /// (width, height, FNV-1a-64 of Pillow's BICUBIC output)
        let outputs: [(Int, Int, String)]
        var description: String { (source as NSString).lastPathComponent }

        enum CodingKeys: String, CodingKey { case source, width, height, outputs }

        /// One `[width, height, "hash"]` triple of `outputs`.
        private struct Output: Decodable {
            let value: (Int, Int, String)
            init(from decoder: any Decoder) throws {
                var triple = try decoder.unkeyedContainer()
                value = (try triple.decode(Int.self), try triple.decode(Int.self), try triple.decode(String.self))
            }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decode(String.self, forKey: .source)
            width = try c.decode(Int.self, forKey: .width)
            height = try c.decode(Int.self, forKey: .height)
            outputs = try c.decode([Output].self, forKey: .outputs).map(\.value)
        }
    }

    /// `manifest.json`: the cases, the hostile files and the resize grid.
    private struct Manifest: Sendable, Decodable {
        let cases: [Case]
        let hostile: [Hostile]
        let resizeGrid: [ResizeGrid]
        enum CodingKeys: String, CodingKey { case cases, hostile, resizeGrid = "resize_grid" }
    }

    private static let manifest: Manifest = {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else {
            fatalError("missing fixture manifest at \(url.path); run scripts/make-fixtures.sh")
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            fatalError("unreadable fixture manifest at \(url.path): \(error)")
        }
    }()

    static let cases: [Case] = manifest.cases
    static let hostile: [Hostile] = manifest.hostile
    static let resizeGrid: [ResizeGrid] = manifest.resizeGrid

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relative)))
    }

    static func floats(_ relative: String) throws -> [Float] {
        let raw = try bytes(relative)
        return raw.withUnsafeBytes { buf in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// The `normalize_table.f32` fixture: the processor's value for every (channel, uint8).
    static func normalizeTable() throws -> [Float] { try floats("normalize_table.f32") }

    static func hostileBytes(_ name: String) throws -> [UInt8] { try bytes("hostile/\(name)") }
}

/// FNV-1a 64 of raw bytes as 16 lowercase hex digits (matches the fixture script).
func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

func fnv1a64<T>(_ array: [T]) -> String { array.withUnsafeBytes { fnv1a64($0) } }

/// Max |a - b| over two equally long float arrays (infinity when lengths differ).
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var m: Float = 0
    for i in 0..<a.count { m = max(m, abs(a[i] - b[i])) }
    return m
}
