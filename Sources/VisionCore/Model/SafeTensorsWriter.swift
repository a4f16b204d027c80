import Foundation

/// Builds a `.safetensors` file (F32 and I64 tensors, optional `__metadata__`), readable by the Python
/// `safetensors` package: data contiguous in insertion order, the header (`SafeTensorsHeader`, keys sorted)
/// padded with spaces to a multiple of 8 bytes so the data section is 8-byte aligned.
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        var data: [UInt8]
    }

    private var entries: [Entry] = []
    /// Written as the header's `__metadata__` (string → string), omitted when empty.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds an F32 tensor; `values.count` must equal the product of `shape`.
    public mutating func add(_ name: String, floats values: [Float], shape: [Int]) throws(SafeTensorsError) {
        try check(name, count: values.count, shape: shape)
        let data = values.withUnsafeBytes { raw in
            values.isEmpty ? [] : [UInt8](raw) // little-endian host (x86-64, arm64)
        }
        entries.append(Entry(name: name, dtype: .f32, shape: shape, data: data))
    }

    /// Adds an I64 tensor; `values.count` must equal the product of `shape`.
    public mutating func add(_ name: String, int64s values: [Int64], shape: [Int]) throws(SafeTensorsError) {
        try check(name, count: values.count, shape: shape)
        let data = values.withUnsafeBytes { [UInt8]($0) }
        entries.append(Entry(name: name, dtype: .i64, shape: shape, data: data))
    }

    private func check(_ name: String, count: Int, shape: [Int]) throws(SafeTensorsError) {
        guard !name.isEmpty, name != "__metadata__", !entries.contains(where: { $0.name == name }) else {
            throw .writeFailed(path: name, reason: "tensor name '\(name)' is empty, reserved or already used")
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw .writeFailed(path: name, reason: "tensor '\(name)' has \(count) values but shape \(shape)")
        }
    }

    /// The complete file contents.
    public func serialized() -> [UInt8] {
        var tensors: [String: SafeTensorsHeader.Entry] = [:]
        var offset = 0
        for e in entries {
            tensors[e.name] = SafeTensorsHeader.Entry(dtype: e.dtype, shape: e.shape,
                                                      dataOffsets: offset..<(offset + e.data.count))
            offset += e.data.count
        }
        var headerBytes = SafeTensorsHeader(entries: tensors, metadata: metadata).jsonBytes()
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for e in entries { out.append(contentsOf: e.data) }
        return out
    }

    /// Writes `serialized()` to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws(SafeTensorsError) {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
