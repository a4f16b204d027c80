import Synchronization

/// Counts loops that finished draining; runs `done` once when all have.
final class DrainTracker: @unchecked Sendable {
    private let remaining: Atomic<Int>
    private let done: () -> Void

    init(loops: Int, done: @escaping () -> Void) {
        remaining = Atomic(loops)
        self.done = done
    }

    func loopDrained() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done() }
    }
}
