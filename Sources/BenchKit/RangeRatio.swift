import OpenAIAPI

/// Per-direction range ratios of `--random-range-ratio` (a float, or JSON `{"input": a, "output": b}`).
public struct RangeRatio: Sendable, Equatable {
    public var input: Double
    public var output: Double
    public init(input: Double, output: Double) { self.input = input; self.output = output }

    /// Parses "0.1" or `{"input": 0.1, "output": 0.2}`; each value must be in [0, 1).
    public static func parse(_ s: String) throws(DatasetError) -> RangeRatio {
        let r: RangeRatio
        if let v = Double(s) {
            r = RangeRatio(input: v, output: v)
        } else if let j = try? JSONParser.parse(s), let a = j["input"]?.doubleValue, let b = j["output"]?.doubleValue {
            r = RangeRatio(input: a, output: b)
        } else {
            throw DatasetError("--random-range-ratio must be a number or {\"input\": a, \"output\": b}, got '\(s)'")
        }
        guard (0..<1).contains(r.input), (0..<1).contains(r.output) else {
            throw DatasetError("--random-range-ratio values must be in [0, 1), got \(s)")
        }
        return r
    }
}
