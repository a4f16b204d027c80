import Foundation

/// Time source and sleeper of the engine; tests substitute a fake that advances instantly.
public protocol EngineClock: Sendable {
    /// Monotonic time in seconds (arbitrary origin).
    func now() -> Double
    /// Blocks the calling (engine) thread for `seconds` (> 0). Never spins.
    func sleep(seconds: Double)
}

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

/// A clock whose `sleep` only advances its own time (tests: no real waiting, sleeps recorded).
public final class FakeClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double
    private var slept: [Double] = []

    public init(start: Double = 1000) { current = start }

    public func now() -> Double { lock.withLock { current } }

    public func sleep(seconds: Double) {
        lock.withLock { current += seconds; slept.append(seconds) }
    }

    public func advance(by seconds: Double) { lock.withLock { current += seconds } }

    /// Every `sleep` duration requested so far.
    public var sleeps: [Double] { lock.withLock { slept } }
}
