import OpenAIAPI

/// A `vlserve serve` flag value that cannot be used; the message names the flag.
public struct FlagValueError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension AppConfiguration {
    /// Images per prompt from `--limit-mm-per-prompt`, as vLLM reads it: `{"image": N}`,
    /// `{"image": {"count": N, ...}}` or a bare `N` (N ≥ 0). An object without `"image"` means 999, vLLM's
    /// default. Parsed with OpenAIAPI's `JSONParser`.
    public static func imageLimit(parsing text: String) throws(FlagValueError) -> Int {
        let trimmed = text.trimmingSpaces()
        if let value = Int(trimmed), value >= 0 { return value }
        guard let json = try? JSONParser.parse(trimmed), case .object = json else {
            throw FlagValueError("--limit-mm-per-prompt must be JSON such as '{\"image\": 4}' or a number, got '\(text)'")
        }
        guard let entry = json["image"] else { return 999 }
        if let value = entry.intValue, value >= 0, value <= Int64(Int.max) { return Int(value) }
        if let value = entry["count"]?.intValue, value >= 0, value <= Int64(Int.max) { return Int(value) }
        throw FlagValueError("--limit-mm-per-prompt: \"image\" must be a non-negative count, got '\(text)'")
    }

    /// GiB from `--mm-processor-cache-gb`: a finite number ≥ 0 (0 disables the image cache), as vLLM's flag.
    public static func cacheGiB(parsing text: String) throws(FlagValueError) -> Double {
        guard let value = Double(text.trimmingSpaces()), value.isFinite, value >= 0 else {
            throw FlagValueError("--mm-processor-cache-gb must be a number of GiB ≥ 0 (default \(defaultMMProcessorCacheGiB); "
                                     + "0 disables the image cache), got '\(text)'")
        }
        return value
    }

    /// The `/v1/models` `root` for a model directory: `…/qwen2.5-vl-7b` → `Qwen/Qwen2.5-VL-7B-Instruct`
    /// (any size ending in `b`); other directories → the path as given.
    public static func defaultModelRoot(modelDirectory: String) -> String {
        let name = modelDirectory.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        let lower = name.lowercased()
        let prefix = "qwen2.5-vl-"
        if lower.hasPrefix(prefix), lower.hasSuffix("b"), lower.count > prefix.count + 1 {
            return "Qwen/Qwen2.5-VL-\(lower.dropFirst(prefix.count).uppercased())-Instruct"
        }
        return modelDirectory
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
