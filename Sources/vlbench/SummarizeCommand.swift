import ArgumentParser
import BenchKit
import Foundation

/// `vlbench summarize FILE|DIR…`: one Markdown table over result JSON files.
struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Tabulate result JSON files (vllm-ascend convert_json_to_markdown columns); directories are searched recursively.")

    @Argument(help: "Result files or directories.") var paths: [String]

    func run() throws {
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { throw ValidationError("no such file or directory: \(p)") }
            if isDir.boolValue {
                let e = FileManager.default.enumerator(atPath: p)
                while let f = e?.nextObject() as? String {
                    if f.hasSuffix(".json") { files.append((p as NSString).appendingPathComponent(f)) }
                }
            } else {
                files.append(p)
            }
        }
        printLine(try ResultSummary.markdown(files: files))
    }
}
