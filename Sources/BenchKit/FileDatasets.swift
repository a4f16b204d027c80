import Foundation
import OpenAIAPI

/// Datasets read from local files: `sharegpt` (vllm-bench-compat.md §5.3) and `custom` JSONL.
public enum FileDatasets {
    /// ShareGPT JSON: entries with ≥ 2 `conversations`; shuffled with `seed` unless `shuffle` is
    /// false; prompt = turn 0, completion = turn 1; kept if prompt ≥ 4 tokens, output ≥ 4 (unless
    /// `fixedOutputLen`), prompt ≤ 1024 and prompt+output ≤ 2048; oversampled to `count` unless
    /// `oversample` is false.
    public static func shareGPT(path: String, count: Int, fixedOutputLen: Int?, shuffle: Bool, oversample: Bool,
                                requestIDPrefix: String, countTokens: (String) -> Int,
                                rng: inout SeededRandom) throws(DatasetError) -> [SampleRequest] {
        let root = try readJSON(path)
        guard let entries = root.arrayValue else { throw DatasetError("\(path): expected a JSON array of conversations") }
        var convs: [(String, String)] = []
        for e in entries {
            guard let turns = e["conversations"]?.arrayValue, turns.count >= 2,
                  let p = turns[0]["value"]?.stringValue, let c = turns[1]["value"]?.stringValue else { continue }
            convs.append((p, c))
        }
        if shuffle { convs.shuffle(using: &rng) }
        var out: [SampleRequest] = []
        for (p, c) in convs {
            if out.count >= count { break }
            let pl = countTokens(p)
            let ol = fixedOutputLen ?? countTokens(c)
            if pl < 4 || (fixedOutputLen == nil && ol < 4) { continue }
            if pl > 1024 || pl + ol > 2048 { continue }
            out.append(SampleRequest(prompt: p, promptLen: pl, expectedOutputLen: ol,
                                     requestID: requestIDPrefix + String(out.count)))
        }
        guard !out.isEmpty else { throw DatasetError("\(path): no usable conversations") }
        if oversample {
            let base = out
            while out.count < count {
                var r = base[rng.int(in: 0, base.count - 1)]
                r.requestID = requestIDPrefix + String(out.count)
                out.append(r)
            }
        }
        return out
    }

    /// Custom JSONL, one object per line: `"prompt"` (required), optional `"output_tokens"`
    /// (else `defaultOutputLen`), optional images as `"image"` (path or URL) or `"images"` (list).
    /// Local image files become data URLs (JPEG, PNG, WebP, GIF by extension); `http(s)://`,
    /// `data:` and `file://` URLs pass through.
    public static func customJSONL(path: String, count: Int, defaultOutputLen: Int, shuffle: Bool,
                                   requestIDPrefix: String, countTokens: (String) -> Int,
                                   rng: inout SeededRandom) throws(DatasetError) -> [SampleRequest] {
        guard let data = FileManager.default.contents(atPath: path) else { throw DatasetError("cannot read dataset file \(path)") }
        let baseDir = (path as NSString).deletingLastPathComponent
        var rows: [(String, Int, [String])] = []
        var lineNo = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let j: JSONValue
            do { j = try JSONParser.parse(Array(line), limits: .localFiles) } catch { throw DatasetError("\(path):\(lineNo): \(error)") }
            guard let prompt = j["prompt"]?.stringValue else { throw DatasetError("\(path):\(lineNo): missing string field \"prompt\"") }
            let outLen = j["output_tokens"]?.integralValue ?? defaultOutputLen
            var images: [String] = []
            if let s = j["image"]?.stringValue { images.append(s) }
            for v in j["images"]?.arrayValue ?? [] { if let s = v.stringValue { images.append(s) } }
            var urls: [String] = []
            for im in images { urls.append(try imageURL(im, baseDir: baseDir, context: "\(path):\(lineNo)")) }
            rows.append((prompt, outLen, urls))
        }
        guard !rows.isEmpty else { throw DatasetError("\(path): no prompts") }
        if shuffle { rows.shuffle(using: &rng) }
        var out: [SampleRequest] = []
        var k = 0
        while out.count < count {
            let r = rows[k % rows.count]
            out.append(SampleRequest(prompt: r.0, promptLen: countTokens(r.0), expectedOutputLen: r.1,
                                     imageURLs: r.2, requestID: requestIDPrefix + String(out.count)))
            k += 1
        }
        return out
    }

    static func imageURL(_ s: String, baseDir: String, context: String) throws(DatasetError) -> String {
        if s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("data:") { return s }
        var p = s.hasPrefix("file://") ? String(s.dropFirst(7)) : s
        if !p.hasPrefix("/") { p = baseDir.isEmpty ? p : baseDir + "/" + p }
        guard let bytes = FileManager.default.contents(atPath: p) else { throw DatasetError("\(context): cannot read image file \(p)") }
        let ext = (p as NSString).pathExtension.lowercased()
        let mime: String
        switch ext {
        case "jpg", "jpeg": mime = "image/jpeg"
        case "png": mime = "image/png"
        case "webp": mime = "image/webp"
        case "gif": mime = "image/gif"
        case "bmp": mime = "image/bmp"
        default: throw DatasetError("\(context): unsupported image type '.\(ext)' for \(p)")
        }
        return "data:\(mime);base64," + bytes.base64EncodedString()
    }

    static func readJSON(_ path: String) throws(DatasetError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw DatasetError("cannot read dataset file \(path)") }
        do { return try JSONParser.parse(Array(data), limits: .localFiles) } catch { throw DatasetError("\(path): \(error)") }
    }
}
