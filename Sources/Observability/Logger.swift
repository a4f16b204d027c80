import Foundation

/// A minimal thread-safe logger writing exactly one line per call to standard error:
/// `2026-11-29T15:46:36.123Z info  engine: message key=value key="quoted value"`.
///
/// Whatever a message contains, a call never writes more than one line: control characters in the
/// message are escaped (`\n`, `\r`, `\t`, `\u{1b}`). Values that come from clients (request ids,
/// paths, model names) go in `fields`, which are quoted and escaped (`LogField`), so they cannot pose
/// as another field either.
public struct Logger: Sendable {
    public let label: String
    public let minimumLevel: LogLevel
    /// Where lines go; standard error by default. Tests can capture lines here.
    public let sink: @Sendable (String) -> Void

    public init(label: String, minimumLevel: LogLevel = .info,
                sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
        self.label = label
        self.minimumLevel = minimumLevel
        self.sink = sink
    }

    /// A logger that drops everything (for tests and benchmarks).
    public static func silent(label: String = "test") -> Logger {
        Logger(label: label, minimumLevel: .error, sink: { _ in })
    }

    /// A copy with another label and the same level and sink.
    public func with(label: String) -> Logger {
        Logger(label: label, minimumLevel: minimumLevel, sink: sink)
    }

    @inlinable public func isEnabled(_ level: LogLevel) -> Bool { level >= minimumLevel }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String,
                    _ fields: @autoclosure () -> [LogField] = []) {
        guard level >= minimumLevel else { return }
        sink(Logger.line(level: level.name, label: label, message: message(), fields: fields()))
    }

    /// Startup, listening and shutdown lines: printed whatever the level (scripts read "listening on").
    public func notice(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        sink(Logger.line(level: "notice", label: label, message: message(), fields: fields()))
    }

    public func trace(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        log(.trace, message(), fields())
    }
    public func debug(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        log(.debug, message(), fields())
    }
    public func info(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        log(.info, message(), fields())
    }
    public func warning(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        log(.warning, message(), fields())
    }
    public func error(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [LogField] = []) {
        log(.error, message(), fields())
    }

    /// `<timestamp> <level padded to 7><label>: <message> <fields>`, one line, no trailing newline.
    static func line(level: String, label: String, message: String, fields: [LogField]) -> String {
        var text = LogField.escaped(message, quotes: false)
        for field in fields {
            if !text.isEmpty { text += " " }
            text += field.rendered
        }
        let padded = level.count >= 7 ? level + " " : level.padding(toLength: 7, withPad: " ", startingAt: 0)
        return "\(timestamp()) \(padded)\(LogField.escaped(label, quotes: false)): \(text)"
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array((line + "\n").utf8)
        // One write(2) per line on fd 2: lines from different threads never interleave.
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { break }
            }
        }
    }

    /// UTC ISO-8601 with milliseconds.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let ms = Int(spec.tv_nsec / 1_000_000)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }
}
