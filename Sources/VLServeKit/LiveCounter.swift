import Synchronization

/// A shared count (sessions alive), readable from any thread.
public final class LiveCounter: Sendable {
    let value = Atomic<Int>(0)
    public init() {}
    public var current: Int { value.load(ordering: .relaxed) }
}
