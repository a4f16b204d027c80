/// A dataset option or file that cannot be used, with what was wrong.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ d: String) { description = d }
}
