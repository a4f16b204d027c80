/// Why a safetensors file, shard index or tensor could not be read.
public enum SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    case cannotOpen(path: String, reason: String)
    case invalidHeader(path: String, reason: String)
    case missingTensor(name: String, path: String)
    case dtypeMismatch(name: String, dtype: String, wanted: String)
    case invalidIndex(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open safetensors file \(path): \(reason)"
        case .invalidHeader(let path, let reason): "\(path): invalid safetensors header: \(reason)"
        case .missingTensor(let name, let path): "tensor '\(name)' not found in \(path)"
        case .dtypeMismatch(let name, let dtype, let wanted): "tensor '\(name)' has dtype \(dtype), expected \(wanted)"
        case .invalidIndex(let path, let reason): "\(path): invalid safetensors index: \(reason)"
        case .writeFailed(let path, let reason): "cannot write safetensors file \(path): \(reason)"
        }
    }
}
