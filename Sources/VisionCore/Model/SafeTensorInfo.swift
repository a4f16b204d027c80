/// Where one tensor lives in a safetensors file.
public struct SafeTensorInfo: Sendable, Equatable {
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    /// Byte range relative to the start of the data section (the header's `data_offsets`).
    public var dataOffsets: Range<Int>

    /// Number of elements (product of `shape`; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
