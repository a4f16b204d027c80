#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A single-threaded epoll event loop (level-triggered) with an eventfd wake-up and a timer heap.
///
/// Everything registered on a loop runs on its thread. `execute` and `schedule`/`cancel` are
/// thread-safe; `register`, `modify` and `deregister` must run on the loop thread (or before
/// `start()`). Mirrors the role of NIO's `SelectableEventLoop`, much smaller.
public final class EventLoop: @unchecked Sendable {
    public let name: String
    let epfd: Int32
    let wakeFD: Int32

    // Cross-thread state, under `lock`.
    private let lock = Lock()
    private var pending: [() -> Void] = []
    private var wakeupPending = false
    private var stopRequested = false
    /// Set when the loop thread has exited; later tasks are dropped at once (not kept forever).
    private var exitedFlag = false

    // Loop-thread state.
    private var running: [() -> Void] = []
    private var afterTasks: [() -> Void] = []
    private var registrations: [Registration?] = []
    private var generation: UInt32 = 0
    private var timerHeap = TimerHeap()
    private var timerTasks: [UInt64: () -> Void] = [:]
    private var nextTimerID: UInt64 = 0
    private var thread: pthread_t?
    private var started = false
    /// Set by `closeWithoutStarting()`: the descriptors are closed already.
    private var closed = false
    private let exited = Latch()
    private var eventBuffer: UnsafeMutableRawPointer
    private let maxEvents = 256

    struct Registration {
        var handler: any IOEventHandler
        var generation: UInt32
        var interest: IOInterest
    }

    /// Creates the epoll instance and the wake-up eventfd. Call `start()` to run it.
    public init(name: String) throws(SystemError) {
        _ = SignalSetup.ignoreSIGPIPE
        self.name = name
        let ep = sys_epoll_create1(Sys.EPOLL_CLOEXEC)
        guard ep >= 0 else { throw SystemError("epoll_create1", errno: errno) }
        let efd = sys_eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK)
        guard efd >= 0 else {
            let e = errno
            close(ep)
            throw SystemError("eventfd", errno: e)
        }
        epfd = ep
        wakeFD = efd
        eventBuffer = .allocate(byteCount: Sys.epollEventSize * maxEvents, alignment: 8)
        var ev = EventLoop.makeEvent(events: Sys.EPOLLIN, data: UInt64(UInt32.max))
        let r = ev.withUnsafeMutableBytes { sys_epoll_ctl(ep, Sys.EPOLL_CTL_ADD, efd, $0.baseAddress) }
        guard r == 0 else {
            let e = errno
            close(ep); close(efd)
            throw SystemError("epoll_ctl(eventfd)", errno: e)
        }
    }

    deinit {
        if !closed {
            close(epfd)
            close(wakeFD)
        }
        eventBuffer.deallocate()
    }

    /// Whether `closeWithoutStarting()` has run.
    var isClosed: Bool { lock.withLock { closed } }

    /// Gives up a loop that was never started: drops its registrations, timers and queued tasks
    /// (which may hold references back to their owners) and closes the epoll instance and the
    /// eventfd now. Registered descriptors are not closed. Afterwards `start()` traps, `execute`
    /// drops its task and `shutdown()` returns at once. Idempotent.
    func closeWithoutStarting() {
        lock.lock()
        precondition(!started, "EventLoop \(name): closeWithoutStarting() after start()")
        guard !closed else {
            lock.unlock()
            return
        }
        closed = true
        stopRequested = true
        exitedFlag = true
        var dropped: [() -> Void] = []   // released after unlocking: a capture's deinit may enqueue
        swap(&dropped, &pending)
        lock.unlock()
        dropped.removeAll()
        registrations.removeAll()
        timerTasks.removeAll()
        timerHeap = TimerHeap()
        close(epfd)
        close(wakeFD)
    }

    /// Starts the loop on a thread of its own (a Foundation `Thread` named after the loop).
    public func start() {
        lock.lock()
        precondition(!started, "EventLoop \(name) started twice")
        precondition(!closed, "EventLoop \(name) started after closeWithoutStarting()")
        started = true
        lock.unlock()
        let ready = Latch()
        let t = Thread { [self] in
            self.thread = pthread_self()
            _ = sys_pthread_setname_np(pthread_self(), String(self.name.prefix(15)))   // visible in top -H
            ready.signal()
            self.run()
        }
        t.name = name
        t.stackSize = 1 << 20
        t.start()
        ready.wait()
    }

    /// Whether the caller is on this loop's thread.
    public var inEventLoop: Bool {
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Stops the loop after the tasks already queued, and waits for its thread to exit (unless
    /// called on the loop itself). Registered handlers are dropped; their descriptors are not closed.
    public func shutdown() {
        lock.lock()
        let wasStarted = started
        let wasClosed = closed
        stopRequested = true
        lock.unlock()
        if wasClosed { return }
        wake()
        if wasStarted && !inEventLoop { exited.wait() }
    }

    /// Runs `task` on the loop thread, after the tasks queued before it. Thread-safe. Tasks queued
    /// after shutdown never run.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        enqueue(task)
    }

    /// Like `execute` for closures that are only safe on the loop (the caller vouches for it).
    func enqueue(_ task: @escaping () -> Void) {
        lock.lock()
        if exitedFlag {
            lock.unlock()
            return
        }
        pending.append(task)
        let needWake = !wakeupPending
        wakeupPending = true
        lock.unlock()
        if needWake { wake() }
    }

    /// Runs `task` on the loop thread at the end of the current loop iteration, after the I/O
    /// events, timers and queued tasks of this iteration. Loop thread only. Used to coalesce
    /// socket writes: many chunks queued in one iteration leave in one `send`.
    func runAfterTasks(_ task: @escaping () -> Void) {
        afterTasks.append(task)
    }

    private func wake() {
        var one: UInt64 = 1
        _ = retryingEINTR { write(wakeFD, &one, 8) }
    }

    // MARK: - Descriptors

    /// Watches `fd` for `interest` (level-triggered); hang-ups and errors are always reported.
    /// Must run on the loop thread or before `start()`. The loop keeps `handler` until `deregister`.
    public func register(fd: Int32, interest: IOInterest, handler: any IOEventHandler) throws(SystemError) {
        try register(fd: fd, interest: interest, extraFlags: 0, handler: handler)
    }

    /// Registers a listening socket shared by several loops for reading with EPOLLEXCLUSIVE, so a
    /// new connection wakes one idle loop rather than all of them. Cannot be `modify`d.
    func registerExclusive(fd: Int32, handler: any IOEventHandler) throws(SystemError) {
        try register(fd: fd, interest: .read, extraFlags: Sys.EPOLLEXCLUSIVE, handler: handler)
    }

    private func register(fd: Int32, interest: IOInterest, extraFlags: UInt32, handler: any IOEventHandler) throws(SystemError) {
        assertOwnership()
        generation &+= 1
        if generation == UInt32.max { generation = 1 }
        // EPOLLEXCLUSIVE admits only EPOLLIN/EPOLLOUT (no EPOLLRDHUP).
        let events = extraFlags & Sys.EPOLLEXCLUSIVE != 0 ? Sys.EPOLLIN | extraFlags : EventLoop.epollEvents(interest) | extraFlags
        var ev = EventLoop.makeEvent(events: events,
                                     data: UInt64(UInt32(bitPattern: fd)) | UInt64(generation) << 32)
        let r = ev.withUnsafeMutableBytes { sys_epoll_ctl(epfd, Sys.EPOLL_CTL_ADD, fd, $0.baseAddress) }
        guard r == 0 else { throw SystemError("epoll_ctl(ADD)", errno: errno) }
        let i = Int(fd)
        if i >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: max(i + 1 - registrations.count, registrations.count)))
        }
        registrations[i] = Registration(handler: handler, generation: generation, interest: interest)
    }

    /// Changes the interest of a registered `fd`. No-op if unchanged. Loop thread only.
    public func modify(fd: Int32, interest: IOInterest) throws(SystemError) {
        assertOwnership()
        let i = Int(fd)
        guard i < registrations.count, var reg = registrations[i] else { return }
        guard reg.interest != interest else { return }
        var ev = EventLoop.makeEvent(events: EventLoop.epollEvents(interest), data: UInt64(UInt32(bitPattern: fd)) | UInt64(reg.generation) << 32)
        let r = ev.withUnsafeMutableBytes { sys_epoll_ctl(epfd, Sys.EPOLL_CTL_MOD, fd, $0.baseAddress) }
        guard r == 0 else { throw SystemError("epoll_ctl(MOD)", errno: errno) }
        reg.interest = interest
        registrations[i] = reg
    }

    /// Stops watching `fd` and releases its handler. Call before closing the descriptor. Loop thread only.
    public func deregister(fd: Int32) {
        assertOwnership()
        let i = Int(fd)
        guard i < registrations.count, registrations[i] != nil else { return }
        _ = sys_epoll_ctl(epfd, Sys.EPOLL_CTL_DEL, fd, nil)
        registrations[i] = nil
    }

    private func assertOwnership() {
        precondition(inEventLoop || !started, "EventLoop \(name): register/modify/deregister must run on the loop thread")
    }

    static func epollEvents(_ interest: IOInterest) -> UInt32 {
        var e: UInt32 = 0
        if interest.contains(.read) { e |= Sys.EPOLLIN | Sys.EPOLLRDHUP }
        if interest.contains(.write) { e |= Sys.EPOLLOUT }
        return e
    }

    static func makeEvent(events: UInt32, data: UInt64) -> [UInt8] {
        var ev = [UInt8](repeating: 0, count: 16)
        ev.withUnsafeMutableBytes { p in
            p.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            p.storeBytes(of: data, toByteOffset: Sys.epollDataOffset, as: UInt64.self)
        }
        return ev
    }

    // MARK: - Timers

    /// Runs `task` on the loop thread once `delay` has passed (millisecond resolution). Thread-safe;
    /// `task` is only ever invoked on the loop thread.
    @discardableResult
    public func schedule(after delay: Duration, _ task: @escaping () -> Void) -> TimerHandle {
        let deadline = monotonicNanos() &+ delay.nanoseconds
        if inEventLoop || thread == nil {
            nextTimerID &+= 1
            let id = nextTimerID
            timerTasks[id] = task
            timerHeap.push(deadline: deadline, id: id)
            return TimerHandle(id: id)
        }
        let id = lock.withLock { () -> UInt64 in
            crossThreadTimerID &+= 1
            return crossThreadTimerID | (1 << 63)
        }
        let box = UncheckedBox(task)
        enqueue { [self] in
            if self.cancelledEarly.remove(id) != nil { return }
            self.timerTasks[id] = box.value
            self.timerHeap.push(deadline: deadline, id: id)
        }
        return TimerHandle(id: id)
    }

    private var crossThreadTimerID: UInt64 = 0
    private var cancelledEarly: Set<UInt64> = []

    /// Cancels a timer if it has not fired. Thread-safe.
    public func cancel(_ handle: TimerHandle) {
        if inEventLoop || thread == nil {
            if timerTasks.removeValue(forKey: handle.id) == nil && handle.id & (1 << 63) != 0 {
                cancelledEarly.insert(handle.id)
            }
            return
        }
        enqueue { [self] in self.cancel(handle) }
    }

    // MARK: - The loop

    private func run() {
        while true {
            let timeout = nextTimeoutMillis()
            let n = sys_epoll_wait(epfd, eventBuffer, Int32(maxEvents), timeout)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                fatalError("EventLoop \(name): epoll_wait failed: \(SystemError("epoll_wait", errno: e))")
            }
            var woke = false
            for k in 0..<Int(n) {
                let base = k * Sys.epollEventSize
                let flags = eventBuffer.loadUnaligned(fromByteOffset: base, as: UInt32.self)
                let data = eventBuffer.loadUnaligned(fromByteOffset: base + Sys.epollDataOffset, as: UInt64.self)
                if data == UInt64(UInt32.max) {
                    woke = true
                    continue
                }
                let fd = Int(UInt32(truncatingIfNeeded: data))
                let gen = UInt32(truncatingIfNeeded: data >> 32)
                guard fd < registrations.count, let reg = registrations[fd], reg.generation == gen else { continue }
                var events: IOEvents = []
                if flags & Sys.EPOLLIN != 0 { events.insert(.readable) }
                if flags & Sys.EPOLLOUT != 0 { events.insert(.writable) }
                if flags & Sys.EPOLLRDHUP != 0 { events.insert(.readHangup) }
                if flags & Sys.EPOLLHUP != 0 { events.insert(.hangup) }
                if flags & Sys.EPOLLERR != 0 { events.insert(.error) }
                reg.handler.handleIO(events)
            }
            if woke {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
            }
            runExpiredTimers()
            if runPendingTasks() { break }
        }
        // Drop everything that could still hold handlers, contexts or sessions: tasks queued after
        // shutdown, timers that never fired, registrations. Otherwise those closures would keep
        // their captures (and any cycle through this loop) alive forever.
        var dropped: [() -> Void] = []   // released after unlocking: a capture's deinit may enqueue
        lock.lock()
        exitedFlag = true
        swap(&pending, &dropped)
        lock.unlock()
        dropped.removeAll()
        afterTasks.removeAll()
        registrations.removeAll()
        timerTasks.removeAll()
        timerHeap = TimerHeap()
        exited.signal()
    }

    /// Runs queued tasks; returns true when the loop must stop.
    private func runPendingTasks() -> Bool {
        lock.lock()
        swap(&pending, &running)
        wakeupPending = false
        let stop = stopRequested
        lock.unlock()
        for task in running { task() }
        running.removeAll(keepingCapacity: true)
        while !afterTasks.isEmpty {
            swap(&afterTasks, &running)
            for task in running { task() }
            running.removeAll(keepingCapacity: true)
        }
        return stop
    }

    private func runExpiredTimers() {
        guard !timerHeap.isEmpty else { return }
        let now = monotonicNanos()
        while let top = timerHeap.peek(), top.deadline <= now {
            timerHeap.pop()
            if let task = timerTasks.removeValue(forKey: top.id) { task() }
        }
    }

    private func nextTimeoutMillis() -> Int32 {
        while let top = timerHeap.peek(), timerTasks[top.id] == nil { timerHeap.pop() }
        guard let top = timerHeap.peek() else { return -1 }
        let now = monotonicNanos()
        if top.deadline <= now { return 0 }
        let ms = (top.deadline - now + 999_999) / 1_000_000
        return Int32(min(ms, 60_000))
    }
}

/// Moves a non-Sendable value to the loop thread; the loop is its only user afterwards.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
