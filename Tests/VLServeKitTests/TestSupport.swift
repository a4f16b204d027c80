#if canImport(Glibc)
import Glibc
#endif
import Engine
import Foundation
import HTTPCore
import NetIO
import Observability
import OpenAIAPI
import VisionCore
@testable import VLServeKit
import TextCore

/// Runs blocking socket work on a fresh thread (never on the cooperative pool) and awaits it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.start()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A raw blocking TCP connection to 127.0.0.1 (test client; every call runs on its own thread).
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    static func open(port: Int) async throws -> RawConnection {
        let fd: Int32 = await onThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if rc != 0 { Glibc.close(fd); return -1 }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)  // a hung server fails the test instead of hanging it
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        guard fd >= 0 else { throw TestFailure("connect to port \(port) failed") }
        return RawConnection(fd: fd)
    }

    func send(_ bytes: [UInt8]) async {
        let fd = fd
        await onThread {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Sends `bytes`, then reads until the peer closes, on one thread (no hop through the cooperative pool
    /// between writing and reading).
    func exchange(_ bytes: [UInt8]) async -> [UInt8] {
        let fd = fd
        return await onThread {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                offset += n
            }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            return received
        }
    }

    /// Reads until the peer closes (or the 30 s receive timeout).
    func readToEnd() async -> [UInt8] {
        await read(until: { _ in false })
    }

    /// Reads until `done(received)` or EOF.
    func read(until done: @escaping @Sendable ([UInt8]) -> Bool) async -> [UInt8] {
        let fd = fd
        return await onThread {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !done(received) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            return received
        }
    }

    func close() { Glibc.close(fd) }
}

/// A parsed response.
struct TestResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> JSONValue { try JSONParser.parse(body) }

    /// SSE `data:` payloads in order (`[DONE]` included as a string).
    var events: [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : "<not data: \(event)>"
        }
    }
}

/// Sends one request with `Connection: close` and parses the whole response.
func request(_ port: Int, _ method: String, _ path: String, body: String? = nil,
             headers: [(String, String)] = [("Content-Type", "application/json")]) async throws -> TestResponse {
    var all = HTTPHeaders(headers)
    all.add(name: "Connection", value: "close")
    let wire = HTTPClientRequest(method: method, target: path, headers: all, body: Array((body ?? "").utf8))
        .serialize(host: "127.0.0.1:\(port)")
    let connection = try await RawConnection.open(port: port)
    defer { connection.close() }
    let raw = await connection.exchange(wire)
    var parser = HTTPResponseParser()
    var events = try parser.feed(raw)
    events += try parser.finish()
    var response = TestResponse(status: 0, headers: HTTPHeaders(), body: [])
    for event in events {
        switch event {
        case .head(let head): response.status = head.status.code; response.headers = head.headers
        case .body(let bytes): response.body += bytes
        case .end: break
        }
    }
    guard response.status != 0 else { throw TestFailure("no response: \(String(decoding: raw, as: UTF8.self))") }
    return response
}

/// Port 0, one loop, vLLM's abort-on-EOF policy, and head/body deadlines long enough that a test client
/// starved of CPU by other tests running in parallel (the cooperative pool has one thread per core) is not
/// cut off by the server's 10 s default head deadline; the deadlines themselves are tested in NetIOTests.
func testServerConfiguration() -> ServerConfiguration {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1,
                                            peerEOFWhileResponding: .abort)
    configuration.headTimeout = .seconds(300)
    configuration.bodyIdleTimeout = .seconds(300)
    configuration.bodyTimeout = .seconds(300)
    return configuration
}

/// A server (not started) with seeded vision weights and (by default) a zero cost model on 127.0.0.1:0.
func makeServer(app: AppConfiguration = AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "Qwen/Qwen2.5-VL-7B-Instruct",
                                                         maxModelLen: 4096),
                engine: EngineConfiguration = EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                server: ServerConfiguration = testServerConfiguration(), logger: Logger = .silent()) throws -> VLServer {
    let weights = VisionWeights.seeded(config: VisionConfig())
    let encoder = PatchEmbeddingEncoder(embedding: try weights.patchEmbedding(), implementation: .auto)
    return try VLServer(app: app, engine: engine, server: server,
                        encoder: encoder, preprocessor: ImagePreprocessor(config: .qwen25VLDefault),
                        preprocessThreads: 1, logger: logger)
}

/// A started server on 127.0.0.1:0 with seeded vision weights and (by default) a zero cost model.
func startServer(app: AppConfiguration = AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "Qwen/Qwen2.5-VL-7B-Instruct",
                                                          maxModelLen: 4096),
                 engine: EngineConfiguration = EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                 logger: Logger = .silent())
    throws -> (VLServer, Int) {
    let server = try makeServer(app: app, engine: engine, logger: logger)
    let port = try server.start()
    return (server, port)
}

/// A `width × height` JPEG as a data URL.
func jpegDataURL(width: Int = 56, height: Int = 56) throws -> String {
    let image = RGBImage(width: width, height: height, fill: (200, 40, 40))
    return "data:image/jpeg;base64," + Data(try JPEGEncoder.encode(image)).base64EncodedString()
}

/// A chat body with one user message: optional images then a text part.
func chatBody(images: [String] = [], text: String = "What is in this image?", model: String = "test-vlm",
              extra: String = "") -> String {
    let parts = images.map { "{\"type\":\"image_url\",\"image_url\":{\"url\":\"\($0)\"}}" }
        + ["{\"type\":\"text\",\"text\":\"\(text)\"}"]
    return "{\"model\":\"\(model)\",\"messages\":[{\"role\":\"user\",\"content\":[\(parts.joined(separator: ","))]}]\(extra)}"
}

/// The raw bytes of a `POST /v1/chat/completions` with `body`, for tests that drive the socket themselves.
func rawChatRequest(_ body: String, extraHeaders: String = "") -> [UInt8] {
    Array(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extraHeaders
        + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
}

/// Prompt tokens the server must report for `chatBody(images:text:)` with images of `imageTokens` each.
func expectedPromptTokens(imageTokens: [Int], text: String = "What is in this image?") -> Int {
    ChatTemplate().render([PromptMessage(role: "user", parts: imageTokens.map { .image(tokenCount: $0) } + [.text(text)])]).count
}

/// Runs `body` against a fresh server and always shuts it down afterwards.
func withServer(app: AppConfiguration = AppConfiguration(servedModelNames: ["test-vlm"], modelRoot: "Qwen/Qwen2.5-VL-7B-Instruct",
                                                         maxModelLen: 4096),
                engine: EngineConfiguration = EngineConfiguration(modelName: "test-vlm", costModel: .zero),
                _ body: (VLServer, Int) async throws -> Void) async throws {
    let (server, port) = try startServer(app: app, engine: engine)
    do {
        try await body(server, port)
    } catch {
        await server.shutdown(drainTimeout: .seconds(1))
        throw error
    }
    await server.shutdown(drainTimeout: .seconds(1))
}

