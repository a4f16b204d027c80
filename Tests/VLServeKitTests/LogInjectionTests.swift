import Foundation
import NetIO
import Observability
import OpenAIAPI
import Testing
@testable import VLServeKit

/// A client-supplied `request_id` with a newline must not forge a log line (issue 9).
@Suite struct LogInjectionTests {
    final class Lines: Sendable {
        let storage = Locked<[String]>([])
        var all: [String] { storage.withLock { $0 } }
    }

    static let forged = "r1\n2026-12-02T06:00:00.000Z error  engine: FORGED"

    /// The log as standard error receives it (each logged line then "\n", as `Logger.standardError` writes it) has
    /// exactly one line naming the request, no line starts with the forged timestamp, and that line carries the
    /// id escaped (the newline as the two characters `\n`) inside its quoted `request_id` field.
    @Test(.timeLimit(.minutes(1))) func aForgedRequestIDIsOneEscapedLine() async throws {
        let lines = Lines()
        let logger = Logger(label: "vlserve", minimumLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
        let (server, port) = try startServer(logger: logger)
        let json = #"r1\n2026-12-02T06:00:00.000Z error  engine: FORGED"#  // in JSON, \n is a real newline
        let response = try await request(port, "POST", "/v1/chat/completions",
                                         body: chatBody(extra: #","max_tokens":2,"request_id":"\#(json)""#))
        await server.shutdown(drainTimeout: .seconds(1))
        #expect(response.status == 200)
        // The server took the id with its newline (it names the response), so the log had a newline to escape.
        #expect(try response.json()["id"] == .string("chatcmpl-" + Self.forged))
        let output = lines.all.map { $0 + "\n" }.joined()
        let physical = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let naming = physical.filter { $0.contains("FORGED") }
        #expect(naming.count == 1, "\(output)")
        #expect(!physical.contains { $0.hasPrefix("2026-12-02T06:00:00.000Z") }, "\(output)")
        #expect(naming.first?.contains(#" request_id="chatcmpl-r1\n2026-12-02T06:00:00.000Z error  engine: FORGED""#) == true,
                "\(output)")
    }
}
