import Foundation

/// A value that goes up and down; either set directly or read from a closure at render time.
public final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: Double = 0
    private let reader: (@Sendable () -> Double)?

    public init(reader: (@Sendable () -> Double)? = nil) { self.reader = reader }

    public func set(_ value: Double) { lock.lock(); storage = value; lock.unlock() }
    public func add(_ delta: Double) { lock.lock(); storage += delta; lock.unlock() }

    public var value: Double {
        if let reader { return reader() }
        lock.lock(); defer { lock.unlock() }; return storage
    }
}
