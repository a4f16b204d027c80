import Foundation
import NetIO

/// The instant the measured run starts (offset 0 of the arrival schedule), on this process's monotonic clock,
/// which times every request, and on the wall clock, which all shards of a run share (`--start-at`).
public struct RunStart: Sendable, Equatable {
    /// UNIX time (s, wall clock).
    public var unix: Double
    /// `monotonicSeconds()` at the same instant (s).
    public var monotonic: Double

    public init(unix: Double, monotonic: Double) {
        self.unix = unix
        self.monotonic = monotonic
    }

    /// Longest `--start-at` wait accepted (s): one day. Further ahead is taken for a unit mistake
    /// (milliseconds) rather than a plan.
    public static let maximumWait = 86_400.0

    /// Now: the run starts as soon as it is ready.
    public static func now() -> RunStart { RunStart(unix: Date().timeIntervalSince1970, monotonic: monotonicSeconds()) }

    /// `--start-at`: the run starts at UNIX time `startAt`, which is `startAt − nowUnix` seconds after
    /// `nowMonotonic`. A time already past is refused rather than started late: a late shard would send its
    /// share off the schedule the other shards follow.
    public static func at(_ startAt: Double, nowUnix: Double = Date().timeIntervalSince1970,
                          nowMonotonic: Double = monotonicSeconds()) throws(BenchmarkError) -> RunStart {
        let wait = startAt - nowUnix
        guard wait > 0 else {
            throw BenchmarkError("--start-at \(PythonJSON.repr(startAt)) passed \(String(format: "%.3f", -wait)) s ago, "
                + "before this run was ready; give every shard a start time further ahead, e.g. --start-at $(date -d '+60 sec' +%s)")
        }
        guard wait <= maximumWait else {
            throw BenchmarkError("--start-at \(PythonJSON.repr(startAt)) is \(Int(wait)) s away (more than a day); "
                + "give UNIX seconds, not milliseconds, e.g. --start-at $(date -d '+30 sec' +%s)")
        }
        return RunStart(unix: startAt, monotonic: nowMonotonic + wait)
    }
}
