import Engine
import Foundation
import NetIO
import Observability
import OpenAIAPI
import Testing
import TextCore
import VisionCore
@testable import VLServeKit

/// vlserve with a Hugging Face tokenizer.json in the model directory (the small BPE of
/// Tests/TextCoreTests/Fixtures, trained by scripts/fixtures/make_tokenizer_fixtures.py): prompt token counts,
/// /tokenize and /detokenize are the `tokenizers` library's.
@Suite struct ModelTokenizerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TextCoreTests/Fixtures").standardized

    struct Cases: Decodable {
        struct Encode: Decodable { var text: String; var ids: [Int] }
        struct Chat: Decodable {
            struct Message: Decodable {
                struct Part: Decodable { var type: String; var text: String? }
                var role: String
                var text: String?
                var parts: [Part]?
                enum CodingKeys: String, CodingKey { case role, content }
                init(from decoder: any Decoder) throws {
                    let c = try decoder.container(keyedBy: CodingKeys.self)
                    role = try c.decode(String.self, forKey: .role)
                    text = try? c.decode(String.self, forKey: .content)
                    parts = text == nil ? try c.decode([Part].self, forKey: .content) : nil
                }
            }
            var messages: [Message]
            var imageTokens: [Int]
            var text: String
            var ids: [Int]
            enum CodingKeys: String, CodingKey { case messages, imageTokens = "image_tokens", text, ids }
        }
        var encode: [Encode]
        var chat: [Chat]
    }

    static let cases: Cases = try! JSONDecoder().decode(
        Cases.self, from: Data(contentsOf: fixtures.appendingPathComponent("tokenizer_cases.json")))

    /// A JPEG data URL with `tokens` image tokens.
    static func imageURL(tokens: Int) throws -> String {
        // A w × h image (multiples of 28, ≥ 56 × 56) has (w / 28) × (h / 28) image tokens.
        let (w, h) = switch tokens {
        case 4: (56, 56)
        case 6: (84, 56)
        case 12: (112, 84)
        default: throw TestFailure("no image size for \(tokens) tokens")
        }
        return try jpegDataURL(width: w, height: h)
    }

    /// The OpenAI request messages of a fixture chat, images as data URLs of the right token counts.
    static func messagesJSON(_ chat: Cases.Chat) throws -> String {
        var images = chat.imageTokens.makeIterator()
        let messages = try chat.messages.map { message -> String in
            let content: String
            if let text = message.text {
                content = quoted(text)
            } else {
                content = "[" + (try (message.parts ?? []).map { part in
                    part.type == "text"
                        ? "{\"type\":\"text\",\"text\":\(quoted(part.text ?? ""))}"
                        : "{\"type\":\"image_url\",\"image_url\":{\"url\":\"\(try imageURL(tokens: images.next()!))\"}}"
                }.joined(separator: ",")) + "]"
            }
            return "{\"role\":\(quoted(message.role)),\"content\":\(content)}"
        }
        return "[" + messages.joined(separator: ",") + "]"
    }

    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    final class Lines: Sendable {
        let storage = Locked<[String]>([])
        var all: [String] { storage.withLock { $0 } }
    }

    /// A model directory with `config.json` and, if given, `tokenizerJSON` as its tokenizer.json (removed afterwards).
    static func withModelDirectory(tokenizerJSON: URL?, _ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vlserve-tok-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = fixtures.appendingPathComponent("../../..").standardized
        try FileManager.default.copyItem(at: repository.appendingPathComponent("models/qwen2.5-vl-7b/config.json"),
                                         to: directory.appendingPathComponent("config.json"))
        if let tokenizerJSON {
            try FileManager.default.copyItem(at: tokenizerJSON, to: directory.appendingPathComponent("tokenizer.json"))
        }
        try await body(directory)
    }

    static func options(modelDirectory: URL, tokenizerPath: String? = nil) -> ServeOptions {
        var options = ServeOptions(server: testServerConfiguration(),
                                   app: AppConfiguration(servedModelNames: ["test-vlm"], maxModelLen: 4096),
                                   engine: EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                                   modelDirectory: modelDirectory.path, weightsPath: nil, convImplementation: .auto,
                                   maxPixels: nil, minPixels: nil, preprocessThreads: 1, memoryTrimInterval: 0)
        options.tokenizerPath = tokenizerPath
        return options
    }

    @Test func choosesTheTokenizerAndLogsIt() async throws {
        // No tokenizer.json: the stub. --tokenizer naming a directory without one: startup fails.
        try await Self.withModelDirectory(tokenizerJSON: nil) { directory in
            let lines = Lines()
            let logger = Logger(label: "vlserve", minimumLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
            let server = try VLServer.load(Self.options(modelDirectory: directory), logger: logger)
            #expect(!server.app.configuration.tokenizer.isModelTokenizer)
            #expect(lines.all.contains { $0.contains("tokenizer: built-in stub vocabulary") })
            await server.shutdown(drainTimeout: .seconds(1))
            #expect(throws: BPETokenizer.LoadError.self) {
                try VLServer.load(Self.options(modelDirectory: directory, tokenizerPath: directory.path), logger: .silent())
            }
            // --tokenizer naming the fixture's file.
            let file = Self.fixtures.appendingPathComponent("tokenizer/tokenizer.json").path
            let explicit = try VLServer.load(Self.options(modelDirectory: directory, tokenizerPath: file), logger: .silent())
            #expect(explicit.app.configuration.tokenizer.isModelTokenizer)
            await explicit.shutdown(drainTimeout: .seconds(1))
        }
        // A tokenizer.json of an unsupported configuration in the model directory: a warning, and the stub.
        let unsupported = FileManager.default.temporaryDirectory.appendingPathComponent("vlserve-tok-bad-\(getpid()).json")
        try Data(#"{"added_tokens": [], "model": {"vocab": {}, "merges": []}}"#.utf8).write(to: unsupported)
        defer { try? FileManager.default.removeItem(at: unsupported) }
        try await Self.withModelDirectory(tokenizerJSON: unsupported) { directory in
            let lines = Lines()
            let logger = Logger(label: "vlserve", minimumLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
            let server = try VLServer.load(Self.options(modelDirectory: directory), logger: logger)
            #expect(!server.app.configuration.tokenizer.isModelTokenizer)
            #expect(lines.all.contains { $0.contains("warning") && $0.contains("not a supported byte-level BPE") })
            await server.shutdown(drainTimeout: .seconds(1))
        }
    }

    @Test func promptTokensAreTheTokenizersLibrarysCount() async throws {
        try await Self.withModelDirectory(tokenizerJSON: Self.fixtures.appendingPathComponent("tokenizer/tokenizer.json")) {
            try await checkAgainstFixtures(modelDirectory: $0)
        }
    }

    func checkAgainstFixtures(modelDirectory directory: URL) async throws {
        let lines = Lines()
        let logger = Logger(label: "vlserve", minimumLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
        let server = try VLServer.load(Self.options(modelDirectory: directory), logger: logger)
        let port = try server.start()
        do {
            #expect(lines.all.contains { $0.contains("tokenizer: \(directory.path)/tokenizer.json (byte-level BPE") })
            for chat in Self.cases.chat {
                let messages = try Self.messagesJSON(chat)
                let body = "{\"model\":\"test-vlm\",\"messages\":\(messages),\"max_tokens\":4,\"ignore_eos\":true}"
                let response = try await request(port, "POST", "/v1/chat/completions", body: body).json()
                #expect(response["usage"]?["prompt_tokens"] == .int(Int64(chat.ids.count)), "\(chat.text)")
                #expect(response["usage"]?["completion_tokens"] == .int(4))
                #expect(response["choices"]?[0]?["message"]?["content"]?.stringValue?.isEmpty == false)
                let tokenized = try await request(port, "POST", "/tokenize", body: "{\"messages\":\(messages)}").json()
                #expect(tokenized["tokens"] == .array(chat.ids.map { .int(Int64($0)) }))
                let ids = chat.ids.map(String.init).joined(separator: ",")
                let text = try await request(port, "POST", "/detokenize", body: "{\"tokens\":[\(ids)]}").json()
                #expect(text["prompt"] == .string(chat.text))
            }
            for c in Self.cases.encode where !c.text.isEmpty {
                let tokenized = try await request(port, "POST", "/tokenize",
                                                  body: "{\"prompt\":\(Self.quoted(c.text))}").json()
                #expect(tokenized["tokens"] == .array(c.ids.map { .int(Int64($0)) }), "\(c.text.debugDescription)")
            }
            let unknown = try await request(port, "POST", "/detokenize", body: "{\"tokens\":[100000]}")
            #expect(unknown.status == 400)
        } catch {
            await server.shutdown(drainTimeout: .seconds(1))
            throw error
        }
        await server.shutdown(drainTimeout: .seconds(1))
    }
}
