import Foundation

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
