import Foundation

/// A checkpoint: one `.safetensors` file, or a directory holding `model.safetensors`, or shards listed in
/// `model.safetensors.index.json` (`{"weight_map": {"tensor": "model-00001-of-00005.safetensors", ...}}`),
/// or (without an index) every `*.safetensors` file in it. Files are memory-mapped on open.
///
/// Vision tensors are looked up under both prefixes: original Qwen2.5-VL checkpoints say `visual.`,
/// checkpoints re-saved by transformers ≥ 4.52 say `model.visual.`.
public struct SafeTensorsCheckpoint: Sendable {
    /// The path given to `init(path:)`.
    public let path: String
    /// The opened files, in file-name order.
    public let files: [SafeTensorsFile]
    private let location: [String: Int]

    /// Opens `path` (a file or a directory, see the type's note). Throws `SafeTensorsError` if nothing
    /// is found, the index is malformed, or it names a file that is missing or lacks the tensor.
    public init(path: String) throws(SafeTensorsError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotOpen(path: path, reason: "no such file or directory")
        }
        if !isDirectory.boolValue {
            let file = try SafeTensorsFile(path: path)
            files = [file]
            location = Dictionary(uniqueKeysWithValues: file.tensors.keys.map { ($0, 0) })
            return
        }
        let dir = path as NSString
        let indexPath = dir.appendingPathComponent("model.safetensors.index.json")
        if FileManager.default.fileExists(atPath: indexPath) {
            let map = try Self.readIndex(indexPath)
            let shardNames = Set(map.values).sorted()
            var opened: [SafeTensorsFile] = []
            var fileIndex: [String: Int] = [:]
            for name in shardNames {
                fileIndex[name] = opened.count
                opened.append(try SafeTensorsFile(path: dir.appendingPathComponent(name)))
            }
            var loc: [String: Int] = [:]
            for (tensor, shard) in map {
                let i = fileIndex[shard]!
                guard opened[i].tensors[tensor] != nil else {
                    throw .invalidIndex(path: indexPath, reason: "it maps '\(tensor)' to \(shard), which does not contain it")
                }
                loc[tensor] = i
            }
            files = opened
            location = loc
            return
        }
        let single = dir.appendingPathComponent("model.safetensors")
        let names: [String]
        if FileManager.default.fileExists(atPath: single) {
            names = ["model.safetensors"]
        } else {
            let listing = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            names = listing.filter { $0.hasSuffix(".safetensors") }.sorted()
        }
        guard !names.isEmpty else {
            throw .cannotOpen(path: path, reason: "no model.safetensors, model.safetensors.index.json or *.safetensors file")
        }
        var opened: [SafeTensorsFile] = []
        var loc: [String: Int] = [:]
        for name in names {
            let file = try SafeTensorsFile(path: dir.appendingPathComponent(name))
            for tensor in file.tensors.keys where loc[tensor] == nil { loc[tensor] = opened.count }
            opened.append(file)
        }
        files = opened
        location = loc
    }

    /// True if `path` is a safetensors file or a directory containing one (or an index).
    public static func exists(at path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if !isDirectory.boolValue { return path.hasSuffix(".safetensors") }
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return listing.contains { $0.hasSuffix(".safetensors") || $0 == "model.safetensors.index.json" }
    }

    private static func readIndex(_ indexPath: String) throws(SafeTensorsError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw .invalidIndex(path: indexPath, reason: "cannot read the file")
        }
        do {
            return try JSONDecoder().decode(WeightMap.self, from: data).files
        } catch let problem as SafeTensorsHeader.Problem {
            throw .invalidIndex(path: indexPath, reason: problem.reason)
        } catch {
            throw .invalidIndex(path: indexPath, reason: "not valid JSON (\(JSONFields.describe(error)))")
        }
    }

    /// The `weight_map` of `model.safetensors.index.json`: tensor name -> shard file name in the same
    /// directory (no `/`, ending in `.safetensors`); at least one entry. Other keys (`metadata`) are ignored.
    private struct WeightMap: Decodable {
        var files: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            typealias Problem = SafeTensorsHeader.Problem
            guard let index = try? JSONFields(decoder) else { throw Problem(reason: "not a JSON object") }
            guard let map = try? index.object("weight_map") else { throw Problem(reason: "no \"weight_map\" object") }
            for tensor in map.keys {
                guard let file = try? map.string(tensor), !file.contains("/"), file.hasSuffix(".safetensors") else {
                    throw Problem(reason: "weight_map['\(tensor)'] is not a .safetensors file name in this directory")
                }
                files[tensor] = file
            }
            guard !files.isEmpty else { throw Problem(reason: "weight_map is empty") }
        }
    }

    /// Every tensor name in the checkpoint, sorted.
    public var tensorNames: [String] { location.keys.sorted() }

    /// The stored name for `name`: `name` itself if present, else the same tensor under the other vision
    /// prefix (`visual.x` ↔ `model.visual.x`); nil if neither exists.
    public func resolve(_ name: String) -> String? {
        if location[name] != nil { return name }
        let alternate: String
        if name.hasPrefix("model.visual.") {
            alternate = String(name.dropFirst("model.".count))
        } else if name.hasPrefix("visual.") {
            alternate = "model." + name
        } else {
            return nil
        }
        return location[alternate] != nil ? alternate : nil
    }

    /// The file holding `name` (after `resolve`) and the stored name.
    public func locate(_ name: String) throws(SafeTensorsError) -> (file: SafeTensorsFile, storedName: String) {
        guard let stored = resolve(name), let i = location[stored] else {
            throw .missingTensor(name: name, path: path)
        }
        return (files[i], stored)
    }

    /// Tensor info for `name` (either vision prefix), or nil.
    public func info(_ name: String) -> SafeTensorInfo? {
        guard let stored = resolve(name), let i = location[stored] else { return nil }
        return files[i].tensors[stored]
    }

    /// The shape of `name` (either vision prefix), or nil.
    public func shape(_ name: String) -> [Int]? { info(name)?.shape }

    /// `name` (either vision prefix) as Float32; see `SafeTensorsFile.floats(_:)`.
    public func floats(_ name: String) throws(SafeTensorsError) -> [Float] {
        let (file, stored) = try locate(name)
        return try file.floats(stored)
    }
}
