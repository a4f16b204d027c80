/// A value behind a pthread mutex (`Lock`), for state shared between the event-loop threads and the rest.
///
/// Used instead of `Synchronization.Mutex` because ThreadSanitizer sees a pthread mutex but not `Mutex` (a futex in the standard library, not instrumented): with `Mutex`,
/// correctly locked code is reported as a race under `scripts/sanitizers.sh thread`.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = Lock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value; do not block inside it.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
