/// A flag value that `BenchmarkOptions(flags:environment:)` rejects; the message names the flag.
public struct FlagError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
