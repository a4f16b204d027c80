import Foundation
import Observability

/// The engine: one dedicated thread (a Foundation `Thread`, not the cooperative pool) that owns the
/// model (the vision encoder and the stub decoder) and runs `Scheduler.step()` while there is work.
///
/// `submit` and `abort` are thread-safe and cheap (a lock and a signal); outputs are delivered on the
/// engine thread through each request's callback, which must not block (write to a non-blocking
/// responder). An abort takes effect at the start of the next step, i.e. within one step.
public final class Engine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let metrics: EngineMetrics
    public let clock: any EngineClock
    private let scheduler: Scheduler
    private let logger: Logger

    private let condition = NSCondition()
    private var inbox: [(EngineRequest, EngineTicket, @Sendable (SequenceOutput) -> Void)] = []
    private var pendingAborts: Set<EngineTicket> = []
    private var nextTicket: UInt64 = 1
    private var publishedWaiting = 0
    private var published = EngineCounters()
    private var rejected = 0
    private var state: State = .idle
    private var waiters: [(predicate: @Sendable (EngineCounters) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    /// True while the engine thread sleeps in `condition.wait()` (only then do submissions signal).
    private var idle = false
    /// Runs on the engine thread each time it runs out of work after having done some (set before `start()`).
    private var idleHandler: (@Sendable () -> Void)?

    private enum State { case idle, running, stopping, stopped }

    /// `encoder` nil means images are accepted but not encoded (tests, text-only setups).
    public init(configuration: EngineConfiguration, metrics: EngineMetrics, encoder: (any VisionEncoder)?,
                clock: any EngineClock = SystemClock(), logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        scheduler = Scheduler(configuration: configuration, metrics: metrics, encoder: encoder,
                              clock: clock, logger: logger)
    }

    /// Current time on the engine's clock (stamp `EngineRequest.arrivalTime` with it).
    public func now() -> Double { clock.now() }

    /// Starts the engine thread. Calling it twice has no effect.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .idle else { return }
        state = .running
        // The thread holds the engine until `run()` returns; the engine keeps no reference to the
        // thread, so nothing cycles once it has stopped.
        let thread = Thread { [self] in
            ThreadName.setCurrent("vlserve-engine")   // as top -H shows it; `thread.name` alone does not reach the OS
            self.run()
        }
        thread.name = "vlserve-engine"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Sets a callback run on the engine thread whenever the engine goes idle after doing work (the
    /// server uses it to hand freed memory back to the OS). Keep it short. Call before `start()`.
    public func onIdle(_ handler: @escaping @Sendable () -> Void) {
        condition.lock()
        idleHandler = handler
        condition.unlock()
    }

    /// Queues a request. Throws `queueFull` when `maxWaitingRequests` are already waiting,
    /// `shuttingDown` after `shutdown()`. `onOutput` runs on the engine thread, once per step
    /// with output, the last time with a `finishReason`.
    public func submit(_ request: EngineRequest,
                       onOutput: @escaping @Sendable (SequenceOutput) -> Void) throws(EngineError) -> EngineTicket {
        var request = request
        request.submittedAt = clock.now()  // the engine queue of the TTFT breakdown starts here
        condition.lock()
        defer { condition.unlock() }
        guard state == .running || state == .idle else { throw .shuttingDown }
        if inbox.count + publishedWaiting >= configuration.maxWaitingRequests {
            rejected += 1
            published.rejected = rejected
            metrics.rejectedQueueFull.increment()
            throw .queueFull(limit: configuration.maxWaitingRequests)
        }
        let ticket = EngineTicket(rawValue: nextTicket)
        nextTicket += 1
        inbox.append((request, ticket, onOutput))
        if idle { condition.signal() }
        return ticket
    }

    /// Aborts a request wherever it is (waiting, encoding, running); its callback gets a final
    /// `.abort` output. Unknown or finished tickets are ignored.
    public func abort(_ ticket: EngineTicket) {
        condition.lock()
        pendingAborts.insert(ticket)
        if idle { condition.signal() }
        condition.unlock()
    }

    /// False once `shutdown()` began (then `/health` answers 503).
    public var isAlive: Bool {
        condition.lock(); defer { condition.unlock() }
        return state == .running || state == .idle
    }

    /// Requests submitted and not yet admitted (inbox plus the scheduler's waiting queue).
    public var queuedRequests: Int {
        condition.lock(); defer { condition.unlock() }
        return inbox.count + publishedWaiting
    }

    /// Totals as of the end of the last step.
    public var counters: EngineCounters {
        condition.lock(); defer { condition.unlock() }
        return published
    }

    /// Suspends until `predicate(counters)` holds (checked now and after every step).
    public func waitUntil(_ predicate: @escaping @Sendable (EngineCounters) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if predicate(published) {
                condition.unlock()
                continuation.resume()
            } else {
                waiters.append((predicate, continuation))
                condition.unlock()
            }
        }
    }

    /// Stops the engine: aborts whatever is still queued or running (callbacks get `.abort`),
    /// then joins the thread. New submissions fail with `shuttingDown`.
    public func shutdown() {
        condition.lock()
        switch state {
        case .idle:
            state = .stopped
            let remaining = waiters
            waiters.removeAll()
            condition.unlock()
            for waiter in remaining { waiter.continuation.resume() }
            return
        case .stopped, .stopping:
            while state != .stopped { condition.wait() }
            condition.unlock()
            return
        case .running:
            state = .stopping
            condition.broadcast()
            while state != .stopped { condition.wait() }
            condition.unlock()
        }
    }

    private func run() {
        logger.debug("engine thread started")
        var workedSinceIdle = false
        while true {
            condition.lock()
            if workedSinceIdle, let idleHandler, state == .running, inbox.isEmpty, pendingAborts.isEmpty, !scheduler.hasWork {
                workedSinceIdle = false
                condition.unlock()
                idleHandler()
                condition.lock()
            }
            while state == .running, inbox.isEmpty, pendingAborts.isEmpty, !scheduler.hasWork {
                idle = true
                condition.wait()
                idle = false
            }
            let stopping = state == .stopping
            var arrivals = inbox
            inbox.removeAll(keepingCapacity: true)
            let aborts = pendingAborts
            pendingAborts.removeAll()
            condition.unlock()

            for (request, ticket, onOutput) in arrivals {
                scheduler.enqueue(request, ticket: ticket, onOutput: onOutput)
            }
            arrivals = []  // the scheduler owns the callbacks now; finished ones must not outlive their step
            scheduler.abort(aborts)
            if stopping {
                scheduler.abortAll()
                publish()
                break
            }
            if scheduler.step() { workedSinceIdle = true }
            publish()
        }
        condition.lock()
        state = .stopped
        idleHandler = nil
        condition.broadcast()
        let remaining = waiters
        waiters.removeAll()
        condition.unlock()
        for waiter in remaining { waiter.continuation.resume() }
        logger.debug("engine thread stopped")
    }

    /// Publishes counters and resumes satisfied waiters.
    private func publish() {
        var counters = scheduler.counters
        condition.lock()
        counters.rejected = rejected
        counters.submitted += inbox.count
        published = counters
        publishedWaiting = scheduler.waitingCount
        var ready: [CheckedContinuation<Void, Never>] = []
        if !waiters.isEmpty {
            waiters.removeAll { waiter in
                guard waiter.predicate(counters) else { return false }
                ready.append(waiter.continuation)
                return true
            }
        }
        condition.unlock()
        for continuation in ready { continuation.resume() }
    }
}
