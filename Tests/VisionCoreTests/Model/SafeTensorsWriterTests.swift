import Foundation
import Testing
@testable import VisionCore

struct SafeTensorsWriterTests {
    @Test func roundTripsThroughTheReader() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["producer": "vlserve \"test\""]
        try writer.add("pixel_values", floats: [1, -2.5, 3, 0.125, .greatestFiniteMagnitude, -0.0], shape: [2, 3])
        try writer.add("image_grid_thw", int64s: [1, 34, 46], shape: [1, 3])
        try writer.add("empty", floats: [], shape: [0, 4])
        let bytes = writer.serialized()
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect((8 + headerLength) % 8 == 0)
        let file = try SafeTensorsFile(bytes: bytes)
        #expect(file.tensorNames == ["empty", "image_grid_thw", "pixel_values"])
        #expect(try file.floats("pixel_values").map(\.bitPattern)
            == [1, -2.5, 3, 0.125, Float.greatestFiniteMagnitude, -0.0].map(\.bitPattern))
        #expect(file.shape("pixel_values") == [2, 3])
        #expect(try file.int64s("image_grid_thw") == [1, 34, 46])
        #expect(file.tensors["image_grid_thw"]?.dtype == .i64)
        #expect(file.metadata["producer"] == "vlserve \"test\"")
        #expect(file.shape("empty") == [0, 4])
    }

    /// The header is JSONEncoder output with sorted keys: exact bytes for a fixed writer, names with quotes,
    /// slashes and control characters escaped, then space padding to a multiple of 8.
    @Test func headerBytes() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "pt"]
        try writer.add("b/\"q\"\n", int64s: [7], shape: [1])
        try writer.add("a", floats: [1, 2], shape: [2])
        let bytes = writer.serialized()
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let json = #"{"__metadata__":{"format":"pt"},"a":{"data_offsets":[8,16],"dtype":"F32","shape":[2]},"#
            + #""b/\"q\"\n":{"data_offsets":[0,8],"dtype":"I64","shape":[1]}}"#
        #expect(header.trimmingCharacters(in: .whitespaces) == json)
        #expect(length % 8 == 0 && length - json.utf8.count < 8)
        let file = try SafeTensorsFile(bytes: bytes)
        #expect(try file.int64s("b/\"q\"\n") == [7])
        #expect(try file.floats("a") == [1, 2])
    }

    @Test func writesAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vlserve-writer-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = SafeTensorsWriter()
        try writer.add("x", floats: [1, 2, 3, 4], shape: [4])
        try writer.write(to: path)
        #expect(try SafeTensorsFile(path: path).floats("x") == [1, 2, 3, 4])
        #expect(throws: SafeTensorsError.self) { try writer.write(to: "/nonexistent-dir/x.safetensors") }
    }

    @Test func rejectsBadTensors() throws {
        var writer = SafeTensorsWriter()
        #expect(throws: SafeTensorsError.self) { try writer.add("x", floats: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: SafeTensorsError.self) { try writer.add("__metadata__", floats: [1], shape: [1]) }
        try writer.add("x", floats: [1], shape: [1])
        #expect(throws: SafeTensorsError.self) { try writer.add("x", int64s: [1], shape: [1]) }
    }
}
