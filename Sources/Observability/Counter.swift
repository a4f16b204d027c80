import Foundation

/// A monotonically increasing value. Rendered as `<family>_total{labels} value`; either incremented
/// or, with `reader`, read at render time (a total kept elsewhere, e.g. the process's CPU seconds).
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: Double = 0
    private let reader: (@Sendable () -> Double)?

    public init(reader: (@Sendable () -> Double)? = nil) { self.reader = reader }

    public func increment(by amount: Double = 1) {
        lock.lock(); storage += amount; lock.unlock()
    }

    public var value: Double {
        if let reader { return reader() }
        lock.lock(); defer { lock.unlock() }; return storage
    }
}
