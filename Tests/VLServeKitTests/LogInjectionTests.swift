import Foundation
import NetIO
import Observability
import Testing
@testable import VLServeKit

/// A client-supplied `request_id` with a newline must not forge a log line (issue 9).
@Suite struct LogInjectionTests {
    final class Lines: Sendable {
        let storage = Locked<[String]>([])
        var all: [String] { storage.withLock { $0 } }
    }

    @Test(.timeLimit(.minutes(1))) func aForgedRequestIDIsOneEscapedLine() async throws {
        let lines = Lines()
        let logger = Logger(label: "vlserve", minimumLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
        let (server, port) = try startServer(logger: logger)
        let forged = #"r1\n2026-12-02T06:00:00.000Z error  engine: FORGED"#  // JSON escape: a real newline
        let response = try await request(port, "POST", "/v1/chat/completions",
                                         body: chatBody(extra: #","max_tokens":2,"request_id":"\#(forged)""#))
        await server.shutdown(drainTimeout: .seconds(1))
        #expect(response.status == 200)
        let requestLines = lines.all.filter { $0.contains("FORGED") }
        #expect(requestLines.count == 1)
        #expect(requestLines.allSatisfy { !$0.contains("\n") && !$0.hasPrefix("2026-12-02T06:00:00.000Z") })
        #expect(requestLines.first?.contains(#"request_id="chatcmpl-r1\n2026-12-02T06:00:00.000Z error  engine: FORGED""#) == true)
    }
}
