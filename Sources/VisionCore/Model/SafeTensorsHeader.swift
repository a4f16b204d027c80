import Foundation

/// The JSON header of a safetensors file, read with `JSONDecoder` and written with `JSONEncoder` (keys sorted):
/// `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {"k": "v"}}`.
///
/// Decoding checks the structure (every entry an object with a known dtype, a shape of non-negative integers
/// and `data_offsets` of two exact non-negative integers with begin <= end; `__metadata__` a map of strings)
/// and throws `SafeTensorsHeader.Problem` otherwise. `SafeTensorsFile` checks the offsets against the data.
struct SafeTensorsHeader: Codable {
    /// One tensor's header entry as written (offsets relative to the data section).
    struct Entry {
        var dtype: SafeTensorsDType
        var shape: [Int]
        var dataOffsets: Range<Int>
    }

    /// Why a safetensors header or index is unusable: the `reason` of `SafeTensorsError.invalidHeader`
    /// or `.invalidIndex`.
    struct Problem: Error {
        var reason: String
    }

    /// Every tensor entry by name.
    var entries: [String: Entry] = [:]
    /// The `__metadata__` map (empty if absent).
    var metadata: [String: String] = [:]

    init(entries: [String: Entry], metadata: [String: String]) {
        self.entries = entries
        self.metadata = metadata
    }

    init(from decoder: any Decoder) throws {
        guard let header = try? JSONFields(decoder) else { throw Problem(reason: "header is not a JSON object") }
        for name in header.keys {
            if name == "__metadata__" {
                guard let map = try? header.object(name) else { throw Problem(reason: "__metadata__ is not an object") }
                for key in map.keys {
                    guard let value = try? map.string(key) else {
                        throw Problem(reason: "__metadata__[\(key)] is not a string")
                    }
                    metadata[key] = value
                }
                continue
            }
            guard let entry = try? header.object(name) else { throw Problem(reason: "entry '\(name)' is not an object") }
            entries[name] = try Self.entry(entry, name: name)
        }
    }

    private static func entry(_ entry: JSONFields, name: String) throws(Problem) -> Entry {
        guard let dtypeName = try? entry.string("dtype") else {
            throw Problem(reason: "tensor '\(name)' has no string dtype")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw Problem(reason: "tensor '\(name)' has unknown dtype '\(dtypeName)'")
        }
        guard let shape = try? entry.intArray("shape"), shape.allSatisfy({ $0 >= 0 }) else {
            throw Problem(reason: "tensor '\(name)' has no valid shape (an array of non-negative integers)")
        }
        guard let offsets = try? entry.intArray("data_offsets"), offsets.count == 2, offsets[0] >= 0,
              offsets[0] <= offsets[1] else {
            throw Problem(reason: "tensor '\(name)' has no valid data_offsets [begin, end]")
        }
        return Entry(dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    private enum EntryKey: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }

    /// Writes the entries and, when not empty, `__metadata__`.
    func encode(to encoder: any Encoder) throws {
        var header = encoder.container(keyedBy: JSONFields.Key.self)
        if !metadata.isEmpty { try header.encode(metadata, forKey: JSONFields.Key("__metadata__")) }
        for (name, entry) in entries {
            var e = header.nestedContainer(keyedBy: EntryKey.self, forKey: JSONFields.Key(name))
            try e.encode(entry.dtype.rawValue, forKey: .dtype)
            try e.encode(entry.shape, forKey: .shape)
            try e.encode([entry.dataOffsets.lowerBound, entry.dataOffsets.upperBound], forKey: .dataOffsets)
        }
    }

    /// The header as compact JSON, keys sorted (so the bytes depend only on the contents).
    func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(self))
        } catch {
            // Only strings and integers are encoded, which JSONEncoder always accepts.
            preconditionFailure("safetensors header encoding failed: \(error)")
        }
    }
}
