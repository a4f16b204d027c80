#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Observability

// glibc's malloc.h is not in Swift's Glibc module map; bound by symbol name (scalar in, scalar out).
@_silgen_name("malloc_trim") private func glibc_malloc_trim(_ pad: Int) -> Int32

/// Hands freed heap memory back to the OS after bursts, with glibc's `malloc_trim(0)` on a thread of
/// its own, at most once per `minimumInterval`.
///
/// Why: a 1280×720 image's `pixel_values` is a 22.5 MB float buffer. After a burst of them, glibc keeps
/// the freed pages in its arenas, so RSS stays at the burst's high-water mark (measured: 328 MB after
/// 40 concurrent 720p requests, 110 MB after one trim). The engine calls `request()` when it goes idle;
/// the trim runs off the engine thread, so a request arriving meanwhile is not queued behind it (an
/// allocation may wait briefly for the arena being trimmed). `malloc_trim` cannot shrink the top of a
/// thread arena; `scripts/soak.sh` explains the glibc tunables that bound that too.
public final class MemoryTrimmer: @unchecked Sendable {
    /// Least time between two trims, seconds (`--memory-trim-interval`, default 5).
    public let minimumInterval: Double
    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var stopped = false
    private var trims = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// The trim itself: `malloc_trim(0)` (tests substitute one that records where it ran).
    private let trim: @Sendable () -> Void

    /// Starts the trimmer thread (`vlserve-trim`).
    public convenience init(minimumInterval: Double) {
        self.init(minimumInterval: minimumInterval, trim: { _ = glibc_malloc_trim(0) })
    }

    /// Starts the trimmer thread (`vlserve-trim`) running `trim` in place of `malloc_trim(0)`.
    init(minimumInterval: Double, trim: @escaping @Sendable () -> Void) {
        self.minimumInterval = max(0, minimumInterval)
        self.trim = trim
        let thread = Thread { [self] in
            ThreadName.setCurrent("vlserve-trim")
            self.run()
        }
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Asks for a trim (cheap; never blocks on the trim itself).
    public func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Trims done so far.
    public var trimCount: Int {
        condition.lock(); defer { condition.unlock() }
        return trims
    }

    /// Suspends until `count` trims have been done (or the trimmer stopped).
    public func waitForTrims(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if trims >= count || stopped {
                condition.unlock()
                continuation.resume()
            } else {
                waiters.append((count, continuation))
                condition.unlock()
            }
        }
    }

    /// Stops the thread and waits for it (a trim in progress finishes first).
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func run() {
        var lastTrim = -Double.infinity
        condition.lock()
        while true {
            while !requested && !stopping { condition.wait() }
            if stopping { break }
            // Rate limit: wait out the rest of the interval (a shutdown wakes us).
            let due = lastTrim + minimumInterval
            let now = ProcessInfo.processInfo.systemUptime
            if now < due {
                _ = condition.wait(until: Date(timeIntervalSinceNow: due - now))
                continue
            }
            requested = false
            condition.unlock()
            trim()
            lastTrim = ProcessInfo.processInfo.systemUptime
            condition.lock()
            trims += 1
            resumeWaiters(all: false)
        }
        stopped = true
        condition.broadcast()
        resumeWaiters(all: true)
        condition.unlock()
    }

    /// Resumes the waiters whose count was reached (every waiter with `all`). Called under the lock.
    private func resumeWaiters(all: Bool) {
        waiters.removeAll { waiter in
            guard all || trims >= waiter.count else { return false }
            waiter.continuation.resume()
            return true
        }
    }
}
