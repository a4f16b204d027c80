import Foundation
@testable import VisionCore

/// Access to Tests/VisionCoreTests/Fixtures/preprocess (written by scripts/fixtures/make_preprocess_fixtures.py).
enum PreprocessFixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/preprocess")

    struct Case: Sendable, CustomStringConvertible {
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
    }

    struct Hostile: Sendable, CustomStringConvertible {
        let file: String
        let pillow: String
        var name: String { (file as NSString).lastPathComponent }
        var description: String { name }
    }

    nonisolated(unsafe) private static let manifest: [String: Any] = {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            fatalError("missing fixture manifest at \(url.path); run scripts/make-fixtures.sh")
        }
        return obj
    }()

    static let cases: [Case] = {
        let list = manifest["cases"] as! [[String: Any]]
        return list.map { d in
            func int(_ k: String) -> Int { (d[k] as! NSNumber).intValue }
            return Case(name: d["name"] as! String, file: d["file"] as! String, note: d["note"] as! String,
                        pilMode: d["pil_mode"] as! String, minPixels: int("min_pixels"), maxPixels: int("max_pixels"),
                        width: int("width"), height: int("height"), resizedWidth: int("resized_width"),
                        resizedHeight: int("resized_height"),
                        gridTHW: (d["grid_thw"] as! [NSNumber]).map { $0.intValue },
                        decodedHash: d["decoded_fnv1a64"] as! String, resizedHash: d["resized_fnv1a64"] as! String,
                        pixelValuesHash: d["pixel_values_fnv1a64"] as! String,
                        pixelValuesRows: int("pixel_values_rows"),
                        decodedFile: d["decoded"] as? String, resizedFile: d["resized"] as? String,
                        pixelValuesFile: d["pixel_values"] as? String,
                        torchvisionMaxAbsDiff: (d["torchvision_max_abs_diff"] as? NSNumber)?.doubleValue)
        }
    }()

    static let hostile: [Hostile] = {
        let list = manifest["hostile"] as! [[String: Any]]
        return list.map { Hostile(file: $0["file"] as! String, pillow: $0["pillow"] as! String) }
    }()

    struct ResizeGrid: Sendable, CustomStringConvertible {
        let source: String
        let width: Int
        let height: Int
        /// (width, height, FNV-1a-64 of Pillow's BICUBIC output)
        let outputs: [(Int, Int, String)]
        var description: String { (source as NSString).lastPathComponent }
    }

    static let resizeGrid: [ResizeGrid] = {
        let list = manifest["resize_grid"] as! [[String: Any]]
        return list.map { d in
            ResizeGrid(source: d["source"] as! String, width: (d["width"] as! NSNumber).intValue,
                       height: (d["height"] as! NSNumber).intValue,
                       outputs: (d["outputs"] as! [[Any]]).map {
                           (($0[0] as! NSNumber).intValue, ($0[1] as! NSNumber).intValue, $0[2] as! String)
                       })
        }
    }()

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
