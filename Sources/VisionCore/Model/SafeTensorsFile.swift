import Foundation

/// One `.safetensors` file, memory-mapped: an 8-byte little-endian header length `n`, `n` bytes of JSON
/// (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`), then the data.
/// The header is validated on open (dtypes, shapes, offsets inside the file and matching the shape,
/// no overlaps); tensor data is only touched when read.
public struct SafeTensorsFile: Sendable {
    /// The file path (or the name given to `init(bytes:name:)`).
    public let path: String
    /// Every tensor in the header, by name.
    public let tensors: [String: SafeTensorInfo]
    /// The header's `__metadata__` string map (empty if absent).
    public let metadata: [String: String]
    private let storage: MappedFile
    private let dataStart: Int

    /// Headers larger than this are rejected (the reference implementation's limit, 100 MB).
    public static let maxHeaderSize = 100_000_000

    /// Maps and validates `path`.
    public init(path: String) throws(SafeTensorsError) {
        try self.init(storage: MappedFile(path: path), path: path)
    }

    /// Validates in-memory safetensors bytes; `name` is used in error messages.
    public init(bytes: [UInt8], name: String = "<memory>") throws(SafeTensorsError) {
        try self.init(storage: MappedFile(bytes: bytes), path: name)
    }

    private init(storage: MappedFile, path: String) throws(SafeTensorsError) {
        self.storage = storage
        self.path = path
        let raw = storage.bytes
        func bad(_ reason: String) -> SafeTensorsError { .invalidHeader(path: path, reason: reason) }
        guard raw.count >= 8 else { throw bad("file is \(raw.count) bytes, shorter than the 8-byte length prefix") }
        let headerLength = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard headerLength <= UInt64(Self.maxHeaderSize) else {
            throw bad("header length \(headerLength) exceeds the \(Self.maxHeaderSize)-byte limit")
        }
        guard Int(headerLength) <= raw.count - 8 else {
            throw bad("header length \(headerLength) exceeds the file's remaining \(raw.count - 8) bytes (truncated file?)")
        }
        dataStart = 8 + Int(headerLength)
        let headerBytes = Data(UnsafeRawBufferPointer(rebasing: raw[8..<dataStart]))
        guard headerBytes.first == UInt8(ascii: "{") else { throw bad("header does not start with '{'") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw bad("header is not valid JSON (\(error.localizedDescription))")
        }
        guard let json = object as? [String: Any] else { throw bad("header is not a JSON object") }
        let (tensors, metadata) = try Self.parseHeader(json, dataSize: raw.count - dataStart, bad: bad)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseHeader(_ json: [String: Any], dataSize: Int,
                                    bad: (String) -> SafeTensorsError) throws(SafeTensorsError)
        -> ([String: SafeTensorInfo], [String: String]) {
        var tensors: [String: SafeTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in json {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad("__metadata__[\(k)] is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let entry = value as? [String: Any] else { throw bad("entry '\(name)' is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw bad("tensor '\(name)' has no string dtype") }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw bad("tensor '\(name)' has unknown dtype '\(dtypeName)'")
            }
            guard let shape = nonNegativeInts(entry["shape"]) else {
                throw bad("tensor '\(name)' has no valid shape (an array of non-negative integers)")
            }
            guard let offsets = nonNegativeInts(entry["data_offsets"]), offsets.count == 2, offsets[0] <= offsets[1] else {
                throw bad("tensor '\(name)' has no valid data_offsets [begin, end]")
            }
            guard offsets[1] <= dataSize else {
                throw bad("tensor '\(name)' data_offsets \(offsets) run past the \(dataSize)-byte data section")
            }
            var elements = 1
            for d in shape {
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor '\(name)' shape \(shape) overflows") }
                elements = p
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, bytes == offsets[1] - offsets[0] else {
                throw bad("tensor '\(name)' is \(offsets[1] - offsets[0]) bytes but \(dtypeName) \(shape) needs "
                    + "\(overflow ? "more" : "\(bytes)")")
            }
            tensors[name] = SafeTensorInfo(dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
        }
        let sorted = tensors.sorted { $0.value.dataOffsets.lowerBound < $1.value.dataOffsets.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.value.dataOffsets.upperBound > b.value.dataOffsets.lowerBound
            && !a.value.dataOffsets.isEmpty && !b.value.dataOffsets.isEmpty {
            throw bad("tensors '\(a.key)' and '\(b.key)' overlap")
        }
        return (tensors, metadata)
    }

    private static func nonNegativeInts(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        out.reserveCapacity(array.count)
        for e in array {
            guard let i = exactInt(e), i >= 0 else { return nil }
            out.append(i)
        }
        return out
    }

    /// All tensor names, sorted.
    public var tensorNames: [String] { tensors.keys.sorted() }

    /// The shape of `name`, or nil if absent.
    public func shape(_ name: String) -> [Int]? { tensors[name]?.shape }

    /// The raw little-endian bytes of `name` (valid while this value is alive).
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let info = tensors[name] else { throw SafeTensorsError.missingTensor(name: name, path: path) }
        let slice = storage.bytes[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)]
        return try body(UnsafeRawBufferPointer(rebasing: slice))
    }

    /// `name` converted to Float32 (F32 copied; BF16 and F16 widened exactly; F64 rounded). Row-major.
    public func floats(_ name: String) throws(SafeTensorsError) -> [Float] {
        guard let info = tensors[name] else { throw .missingTensor(name: name, path: path) }
        guard info.dtype.isFloatingPoint else {
            throw .dtypeMismatch(name: name, dtype: info.dtype.rawValue, wanted: "F32, F16, BF16 or F64")
        }
        let src = UnsafeRawBufferPointer(rebasing:
            storage.bytes[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)])
        let n = info.elementCount
        return [Float](unsafeUninitializedCapacity: n) { dst, initialized in
            switch info.dtype {
            case .f32:
                if n > 0 { UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: src.baseAddress!, byteCount: n * 4) }
            case .bf16:
                for i in 0..<n {
                    let bits = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    dst[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            case .f16:
                for i in 0..<n {
                    dst[i] = halfToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            default: // .f64
                for i in 0..<n {
                    dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            }
            initialized = n
        }
    }

    /// `name` converted to Int64 (any integer or BOOL dtype; U64 values above Int64.max are an error).
    public func int64s(_ name: String) throws(SafeTensorsError) -> [Int64] {
        guard let info = tensors[name] else { throw .missingTensor(name: name, path: path) }
        guard info.dtype.isInteger else {
            throw .dtypeMismatch(name: name, dtype: info.dtype.rawValue, wanted: "an integer dtype")
        }
        let src = UnsafeRawBufferPointer(rebasing:
            storage.bytes[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)])
        var out: [Int64] = []
        out.reserveCapacity(info.elementCount)
        for i in 0..<info.elementCount {
            switch info.dtype {
            case .bool, .u8: out.append(Int64(src[i]))
            case .i8: out.append(Int64(Int8(bitPattern: src[i])))
            case .i16: out.append(Int64(Int16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))))
            case .u16: out.append(Int64(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
            case .i32: out.append(Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))))
            case .u32: out.append(Int64(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
            case .i64: out.append(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
            default: // .u64
                let v = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                guard let s = Int64(exactly: v) else {
                    throw .dtypeMismatch(name: name, dtype: "U64 value \(v)", wanted: "values that fit Int64")
                }
                out.append(s)
            }
        }
        return out
    }
}

/// A JSON number that is an exact integer (NSNumber from JSONSerialization), else nil.
func exactInt(_ value: Any) -> Int? {
    if let i = value as? Int { return i }
    if let n = value as? NSNumber, let i = Int(exactly: n.doubleValue) { return i }
    return nil
}

/// IEEE binary16 bits → Float32 (exact; subnormals, infinities and NaN preserved).
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int(h >> 10) & 0x1f
    let mantissa = UInt32(h & 0x3ff)
    if exponent == 0x1f { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
    if exponent == 0 {
        // Subnormal (or zero): mantissa · 2^-24, exact in Float32.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign != 0 ? -magnitude : magnitude
    }
    return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
}
