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
        let header: SafeTensorsHeader
        do {
            header = try JSONDecoder().decode(SafeTensorsHeader.self, from: headerBytes)
        } catch let problem as SafeTensorsHeader.Problem {
            throw bad(problem.reason)
        } catch {
            throw bad("header is not valid JSON (\(JSONFields.describe(error)))")
        }
        let (tensors, metadata) = try Self.check(header, dataSize: raw.count - dataStart, bad: bad)
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Checks the decoded entries against the data section: offsets inside it, byte counts matching
    /// dtype and shape (without overflow), no two non-empty tensors overlapping.
    private static func check(_ header: SafeTensorsHeader, dataSize: Int,
                              bad: (String) -> SafeTensorsError) throws(SafeTensorsError)
        -> ([String: SafeTensorInfo], [String: String]) {
        var tensors: [String: SafeTensorInfo] = [:]
        for (name, entry) in header.entries {
            let shape = entry.shape, dtype = entry.dtype, dtypeName = dtype.rawValue
            let offsets = [entry.dataOffsets.lowerBound, entry.dataOffsets.upperBound]
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
        return (tensors, header.metadata)
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
