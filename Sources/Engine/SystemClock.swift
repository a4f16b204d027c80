import Foundation

/// `CLOCK_MONOTONIC` and `nanosleep`.
public struct SystemClock: EngineClock {
    public init() {}

    public func now() -> Double { SystemClock.monotonicSeconds() }

    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    /// Monotonic seconds; also used by the server to stamp request arrival.
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
