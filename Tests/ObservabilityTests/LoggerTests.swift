import Synchronization
import Testing
@testable import Observability

/// Collects the lines a `Logger` writes (one element per sink call).
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    func logger(_ level: LogLevel = .trace, label: String = "engine") -> Logger {
        Logger(label: label, minimumLevel: level, sink: { [self] in append($0) })
    }
}

@Suite struct LoggerTests {
    static let forged = "r1\n2026-12-02T06:00:00.000Z error  engine: FORGED"

    @Test func aForgedRequestIDStaysInsideItsQuotedField() {
        let collector = LineCollector()
        collector.logger().info("", [LogField("request_id", Self.forged), LogField("finish", "stop")])
        #expect(collector.lines.count == 1)
        let line = collector.lines[0]
        #expect(!line.contains("\n"))
        #expect(line.hasSuffix(#" info   engine: request_id="r1\n2026-12-02T06:00:00.000Z error  engine: FORGED" finish=stop"#))
    }

    @Test func controlCharactersInAMessageAreEscaped() {
        let collector = LineCollector()
        collector.logger().error("bad \(Self.forged)\r\u{1b}[31m\u{2028}x")
        #expect(collector.lines.count == 1)
        #expect(collector.lines[0].hasSuffix(#"engine: bad r1\n2026-12-02T06:00:00.000Z error  engine: FORGED\r\u{1b}[31m\u{2028}x"#))
    }

    @Test func fieldsAreBareOnlyWhenSafe() {
        #expect(LogField("request_id", "chatcmpl-abc_1.2:3/4@5+6").rendered == "request_id=chatcmpl-abc_1.2:3/4@5+6")
        #expect(LogField("k", "").rendered == #"k="""#)
        #expect(LogField("k", "a b").rendered == #"k="a b""#)
        #expect(LogField("k", "x=1").rendered == #"k="x=1""#)
        #expect(LogField("k", #"say "hi" \ bye"#).rendered == #"k="say \"hi\" \\ bye""#)
        #expect(LogField("k", "tab\there").rendered == #"k="tab\there""#)
        #expect(LogField("k", "Zürich").rendered == #"k="Zürich""#)
        #expect(LogField("n", 42).rendered == "n=42")
    }

    @Test func levelsArePaddedAndFiltered() {
        let collector = LineCollector()
        let logger = collector.logger(.info, label: "api")
        logger.debug("hidden")
        logger.info("shown", [LogField("a", 1)])
        logger.warning("careful")
        logger.notice("listening")
        let lines = collector.lines
        #expect(lines.count == 3)
        #expect(lines[0].hasSuffix(" info   api: shown a=1"))
        #expect(lines[1].hasSuffix(" warning api: careful"))
        #expect(lines[2].hasSuffix(" notice api: listening"))
        // 2026-12-02T06:00:00.000Z: 24 characters of UTC timestamp before the level.
        #expect(lines.allSatisfy { $0.count > 24 && Array($0)[23] == "Z" && Array($0)[10] == "T" })
    }
}
