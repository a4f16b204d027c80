/// A vision-tower input or configuration that cannot run.
public enum VisionTowerError: Error, CustomStringConvertible, Sendable, Equatable {
    case shape(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .shape(let m): "vision tower input: \(m)"
        case .unsupported(let m): "vision tower: \(m)"
        }
    }
}
