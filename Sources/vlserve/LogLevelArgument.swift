import ArgumentParser
import Observability

/// `--log-level`: `LogLevel` by name. A wrapper rather than a conformance of `LogLevel` itself, whose raw
/// values are integers (the argument parser would show those in --help).
enum LogLevelArgument: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, warning, error

    /// A level name, case-insensitive; `warn` is accepted for `warning` (`LogLevel(name:)`).
    init?(argument: String) {
        guard let level = LogLevel(name: argument) else { return nil }
        self.init(rawValue: level.name)
    }

    var level: LogLevel { LogLevel(name: rawValue) ?? .info }
}
