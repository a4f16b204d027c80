import Foundation
import TextCore

/// Micro-benchmark of tokenisation for `vlserve bench-tokenizer` (run it from a release build; not a test):
/// a prompt of about 4096 tokens (English prose with numbers, code, CJK and emoji) encoded again and again
/// with the word cache warm, a prompt of random letter strings that misses the cache, chat-template
/// rendering and decoding. Figures are CPU time of the measuring thread per call and per 1000 tokens
/// (median over repeats).
public enum TokenizerBenchmark {
    /// One measured case.
    public struct Row: Sendable, CustomStringConvertible {
        public var tokenizer: String
        public var name: String
        /// Tokens per call.
        public var tokens: Int
        /// Median CPU microseconds per call.
        public var microsecondsPerCall: Double
        /// `microsecondsPerCall` per 1000 tokens.
        public var microsecondsPer1kTokens: Double { microsecondsPerCall * 1000 / Double(max(1, tokens)) }

        public var description: String {
            let call = String(format: "%.1f", microsecondsPerCall)
            let perK = String(format: "%.1f", microsecondsPer1kTokens)
            return "\(tokenizer) \(name): \(tokens) tokens, \(call) µs per call, \(perK) µs per 1k tokens"
        }
    }

    /// Sentences the 4k-token prompt is drawn from.
    static let sentences = [
        "The image shows a small red car parked on a quiet street in front of a white house.",
        "A black cat is sitting on the window, looking at the birds in the tree behind the building.",
        "In 2024 there were 1,234,567 requests; 98.6% of them succeeded and 3 failed with HTTP 503.",
        "It's a detailed picture: the colours are clear and the light comes from the left side.",
        "def tokenize(text: str) -> list[int]:\n    return [ord(c) for c in text]  # one id per character\n",
        "这是一张照片，照片上有一只猫和一条狗。天空是蓝色的。",
        "Emoji 😀 🎉 👍🏽 and symbols → ∑ ≈ € are rare but present.",
        "Describe the picture in one sentence. What does the sign say?\n\n",
    ]

    /// A deterministic text of at least `tokens` tokens for `tokenizer`: sentences in a seeded order,
    /// with a seeded number in each so that the text does not simply repeat.
    public static func prompt(tokens: Int, tokenizer: TextTokenizer) -> String {
        var rng = SplitMix64(seed: 42)
        var text = ""
        while true {
            for _ in 0..<32 {
                text += sentences[Int(rng.next() % UInt64(sentences.count))] + " (\(rng.next() % 10_000)) "
            }
            if tokenizer.tokenCount(text) >= tokens { return text }
        }
    }

    /// A text of random lower-case letter strings of 3 to 10 letters (mostly unseen words: cache misses).
    static func randomWords(tokens: Int, tokenizer: TextTokenizer, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        var text = ""
        while tokenizer.tokenCount(text) < tokens {
            for _ in 0..<256 {
                text += " " + String(decoding: (0..<(3 + rng.next() % 8)).map { _ in UInt8(97 + rng.next() % 26) },
                                     as: UTF8.self)
            }
        }
        return text
    }

    /// Median CPU seconds of `body` over `repeats` runs (after one warm-up run).
    static func median(repeats: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = BenchmarkStatistics.threadCPUSeconds()
            body()
            times.append(BenchmarkStatistics.threadCPUSeconds() - start)
        }
        return BenchmarkStatistics.median(times)
    }

    /// The stub and, if `tokenizerPath` is given, the tokenizer.json of that directory (or that file).
    public static func tokenizers(path tokenizerPath: String?) throws -> [(name: String, tokenizer: TextTokenizer)] {
        guard let path = tokenizerPath else { return [("stub", .stub)] }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let bpe: TextTokenizer
        if isDirectory.boolValue {
            guard let loaded = try TextTokenizer.load(directory: path) else {
                throw BPETokenizer.LoadError.unreadable("\(path) has no \(TextTokenizer.fileName)")
            }
            bpe = loaded
        } else {
            bpe = .huggingFace(try BPETokenizer(contentsOf: path), path: path)
        }
        return [("stub", .stub), ("tokenizer.json", bpe)]
    }

    /// Runs every case for each tokenizer; `repeats` runs per case (median reported).
    public static func run(tokenizers: [(name: String, tokenizer: TextTokenizer)], promptTokens: Int = 4096,
                           repeats: Int = 200) -> [Row] {
        var rows: [Row] = []
        for (name, tokenizer) in tokenizers {
            let text = prompt(tokens: promptTokens, tokenizer: tokenizer)
            let ids = tokenizer.encode(text)
            var sink = 0
            let encode = median(repeats: repeats) { sink &+= tokenizer.encode(text).count }
            rows.append(Row(tokenizer: name, name: "encode \(promptTokens)-token prompt (warm word cache)", tokens: ids.count,
                            microsecondsPerCall: encode * 1e6))

            // Fresh random words each call: every word is looked up, merged and (while there is room) cached.
            let texts = (0..<repeats + 1).map { randomWords(tokens: promptTokens, tokenizer: .stub, seed: UInt64($0)) }
            var index = 0
            let missCount = tokenizer.tokenCount(texts[0])
            let miss = median(repeats: repeats) {
                sink &+= tokenizer.encode(texts[index % texts.count]).count
                index += 1
            }
            rows.append(Row(tokenizer: name, name: "encode random letter strings (word cache misses)", tokens: missCount,
                            microsecondsPerCall: miss * 1e6))

            let template = ChatTemplate(tokenizer: tokenizer)
            let messages = [PromptMessage(role: "user", parts: [.image(tokenCount: 1196), .text(text)])]
            let rendered = template.render(messages)
            let render = median(repeats: repeats) { sink &+= template.render(messages).count }
            rows.append(Row(tokenizer: name, name: "chat template, 1 image + the prompt", tokens: rendered.count,
                            microsecondsPerCall: render * 1e6))

            let decode = median(repeats: repeats) { sink &+= ((try? tokenizer.decode(ids)) ?? "").utf8.count }
            rows.append(Row(tokenizer: name, name: "decode the prompt's ids", tokens: ids.count,
                            microsecondsPerCall: decode * 1e6))
            if sink == 42 { print("") }  // keeps the results alive
        }
        return rows
    }
}
