import Foundation
import Observability
import TextCore

extension ServeOptions {
    /// The tokenizer to serve with, logged as `tokenizer: ...`:
    /// - `tokenizerPath` (`--tokenizer`), a directory with `tokenizer.json` or that file: it must load;
    /// - else the model directory's `tokenizer.json` if it has one; one that does not load is a warning
    ///   and the stub is used;
    /// - else the built-in stub vocabulary.
    func loadTokenizer(logger: Logger) throws(BPETokenizer.LoadError) -> TextTokenizer {
        let tokenizer: TextTokenizer
        if let path = tokenizerPath {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable("--tokenizer \(path) does not exist")
            }
            if isDirectory.boolValue {
                guard let loaded = try TextTokenizer.load(directory: path) else {
                    throw .unreadable("--tokenizer \(path) has no \(TextTokenizer.fileName)")
                }
                tokenizer = loaded
            } else {
                tokenizer = .huggingFace(try BPETokenizer(contentsOf: path), path: path)
            }
        } else {
            do {
                tokenizer = try TextTokenizer.load(directory: modelDirectory) ?? .stub
            } catch {
                logger.warning("tokenizer: \(error); falling back to the stub")
                tokenizer = .stub
            }
        }
        logger.notice("tokenizer: \(tokenizer.summary)")
        return tokenizer
    }
}
