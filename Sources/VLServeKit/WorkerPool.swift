import Foundation
import Observability

/// A fixed set of dedicated threads (Foundation `Thread`s: not an event loop, not Swift's cooperative
/// pool) running blocking jobs FIFO: image fetching, decoding and preprocessing.
public final class WorkerPool: @unchecked Sendable {
    public let threadCount: Int
    private let condition = NSCondition()
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var stopping = false
    private var live = 0

    /// Starts `threadCount` (≥ 1) threads named `<name>-<i>`.
    public init(threadCount: Int, name: String) {
        self.threadCount = max(1, threadCount)
        for index in 0..<self.threadCount {
            let thread = Thread { [self] in
                ThreadName.setCurrent("\(name)-\(index)")
                self.work()
            }
            live += 1
            thread.start()
        }
    }

    /// Jobs queued and not yet started.
    public var pendingCount: Int {
        condition.lock(); defer { condition.unlock() }
        return jobs.count - head
    }

    /// Queues `job`; returns false (and drops it) after `shutdown()`.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets queued jobs finish, then stops and joins the threads.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while live > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count, !stopping { condition.wait() }
            if head == jobs.count {
                live -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = jobs[head]!
            jobs[head] = nil  // do not keep the job (and what it captured) alive after it ran
            head += 1
            if head > 256, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
