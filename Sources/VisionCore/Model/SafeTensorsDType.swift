/// A safetensors element type (the header's `"dtype"` string), little-endian.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case i64 = "I64", u64 = "U64", f64 = "F64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .i64, .u64, .f64: 8
        }
    }

    /// True for the types `floats(_:)` converts to Float32 (F32, F16, BF16, F64).
    public var isFloatingPoint: Bool { [.f32, .f16, .bf16, .f64].contains(self) }
    /// True for the types `int64s(_:)` converts to Int64.
    public var isInteger: Bool { [.bool, .u8, .i8, .i16, .u16, .i32, .u32, .i64, .u64].contains(self) }
}
