#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPCore
import Synchronization

/// An HTTP/1.1 server on non-blocking POSIX sockets and `eventLoopCount` epoll loops.
///
/// One listening socket is registered (EPOLLEXCLUSIVE) in every loop, so whichever loop is idle
/// accepts; a connection then stays on that loop. `handler` is called on the loop thread; the
/// responses the transport sends by itself (framing errors, timeouts, the connection cap) get their
/// bodies from `errorRenderer`.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    let handler: any HTTPRequestHandler
    /// Renders the bodies of the transport's own error responses.
    let errorRenderer: HTTPErrorRenderer
    /// The `503` sent to a connection over `maxConnections`, rendered once.
    private let overCapacityResponse: [UInt8]
    private(set) var listenFD: Int32 = -1
    private var loops: [EventLoop] = []
    private var contexts: [LoopContext] = []
    private let state = Locked<LifeCycle>(.idle)
    private let openConnections = Atomic<Int>(0)
    /// The loops accepted connections are spread over, round-robin (set in `start()` before the
    /// loops run, cleared after they stopped). Like NIO's child event-loop group: whichever loop
    /// wakes for the listener accepts, but the connections are shared out evenly, so a burst of
    /// connects does not land on one loop.
    private(set) var acceptTargets: [LoopContext] = []
    private let nextAcceptTarget = Atomic<Int>(0)
    private var connectionCap = 0
    private let lastBackoffLog = Atomic<UInt64>(0)
    /// How many times a loop paused accepting (EMFILE and friends).
    let acceptPauses = Atomic<Int>(0)

    /// Times accepting was paused after EMFILE/ENFILE/ENOBUFS/ENOMEM (for tests and metrics).
    public var acceptPauseCount: Int { acceptPauses.load(ordering: .relaxed) }

    /// Test hook: makes the next `count` accepts on every loop fail with EMFILE; returns once every loop has it.
    func injectAcceptFailures(_ count: Int) async {
        for context in contexts where state.withLock({ $0 == .running }) {
            let box = UncheckedBox(context)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                context.loop.execute {
                    box.value.injectedAcceptFailures = count
                    continuation.resume()
                }
            }
        }
    }

    enum LifeCycle { case idle, running, stopping, stopped }

    /// - Parameters:
    ///   - errorRenderer: the body of the transport's own error responses (default: the message as plain text).
    /// - Throws: `ServerConfigurationError` for an unusable configuration.
    public init(configuration: ServerConfiguration, handler: any HTTPRequestHandler,
                errorRenderer: HTTPErrorRenderer = .plainText) throws {
        guard configuration.eventLoopCount >= 1 else { throw ServerConfigurationError("eventLoopCount must be at least 1") }
        guard (0...65535).contains(configuration.port) else { throw ServerConfigurationError("port must be 0...65535") }
        guard configuration.maxConnections >= 1 else { throw ServerConfigurationError("maxConnections must be at least 1") }
        self.configuration = configuration
        self.handler = handler
        self.errorRenderer = errorRenderer
        var overCapacity: [UInt8] = []
        errorRenderer.writeResponse(status: .serviceUnavailable, message: "server is at its connection limit; retry later",
                                    extraHeaders: [("Retry-After", "1")], into: &overCapacity)
        overCapacityResponse = overCapacity
    }

    /// Connections currently open.
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// The bound port once started.
    public private(set) var localPort: Int = 0

    /// Binds, listens and starts the loops. Returns the bound port (useful with port 0).
    ///
    /// If it throws (the port is in use, a loop cannot be created), nothing is left behind: the
    /// listening socket and every loop created so far are closed without starting their threads, the
    /// server is idle again (`shutdown()` returns at once) and `start()` may be called again.
    @discardableResult
    public func start() throws -> Int {
        try state.withLock { s in
            switch s {
            case .idle: s = .running
            case .running: throw ServerConfigurationError("server already started")
            case .stopping, .stopped: throw ServerConfigurationError("server was shut down; create a new HTTPServer to serve again")
            }
        }
        do {
            return try bindAndStartLoops()
        } catch {
            for loop in loops { loop.closeWithoutStarting() }   // also drops the contexts' acceptors and timers
            loops.removeAll()
            contexts.removeAll()   // breaks the server <-> context cycle
            acceptTargets.removeAll()
            if listenFD >= 0 {
                close(listenFD)
                listenFD = -1
            }
            localPort = 0
            state.withLock { $0 = .idle }
            throw error
        }
    }

    /// Test hook: `start()` fails with EMFILE after creating and registering this many loops.
    var injectedStartFailureAfterLoops: Int?

    /// The part of `start()` that can fail; `start()` undoes what it did if it throws.
    private func bindAndStartLoops() throws -> Int {
        _ = SignalSetup.ignoreSIGPIPE
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        // Keep a margin of descriptors for everything else (files, the engine, logs): 128, or a quarter of small limits.
        let fdBudget = limit.rlim_cur > UInt64(Int32.max) ? Int.max : Int(limit.rlim_cur) - min(128, Int(limit.rlim_cur) / 4)
        connectionCap = max(1, min(configuration.maxConnections, fdBudget))

        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        listenFD = fd
        localPort = port
        for i in 0..<configuration.eventLoopCount {
            if i == injectedStartFailureAfterLoops { throw SystemError("EventLoop (injected)", errno: EMFILE) }
            let loop = try EventLoop(name: "vlserve-http-\(i)")
            loops.append(loop)   // before startListening, so a failure closes it too
            let context = LoopContext(loop: loop, server: self)
            try context.startListening()
            contexts.append(context)
        }
        acceptTargets = contexts
        for loop in loops { loop.start() }
        return port
    }

    /// Stops accepting (the listening socket is closed, so new connections are refused), closes
    /// idle connections, lets in-flight responses finish for up to `drainTimeout`, then closes what
    /// is left (their `onClose` callbacks fire) and stops the loops.
    public func shutdown(drainTimeout: Duration = .seconds(30)) async {
        let proceed = state.withLock { s -> Bool in
            guard s == .running else { return false }
            s = .stopping
            return true
        }
        guard proceed else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let tracker = DrainTracker(loops: contexts.count) { [self] in
                // Leave the loop threads before joining them.
                let t = Thread {
                    for loop in self.loops { loop.shutdown() }
                    self.state.withLock { $0 = .stopped }
                    self.contexts.removeAll()   // breaks the server <-> context cycle
                    self.acceptTargets.removeAll()
                    continuation.resume()
                }
                t.start()
            }
            let listenersLeft = Atomic<Int>(contexts.count)
            let fd = listenFD
            for context in contexts {
                let box = UncheckedBox(context)
                context.loop.execute {
                    let context = box.value
                    context.stopListening()
                    if listenersLeft.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { close(fd) }
                    context.beginDrain { tracker.loopDrained() }
                    context.loop.schedule(after: drainTimeout) { context.closeAll() }
                }
            }
        }
    }

    // MARK: - Connection accounting

    /// The loop that takes the next accepted connection (round-robin over the loops).
    func takeAcceptTarget() -> LoopContext? {
        let targets = acceptTargets
        guard !targets.isEmpty else { return nil }
        let n = nextAcceptTarget.add(1, ordering: .relaxed).oldValue
        return targets[Int(UInt(bitPattern: n) % UInt(targets.count))]
    }

    func reserveConnectionSlot() -> Bool {
        let n = openConnections.add(1, ordering: .relaxed).newValue
        if n > connectionCap {
            openConnections.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseConnectionSlot() {
        openConnections.subtract(1, ordering: .relaxed)
    }

    /// Logs accept back-off at most once a second.
    func noteAcceptBackoff(errno e: Int32) {
        let now = monotonicNanos()
        let last = lastBackoffLog.load(ordering: .relaxed)
        if now &- last > 1_000_000_000 {
            lastBackoffLog.store(now, ordering: .relaxed)
            configuration.log?("accept paused for \(configuration.acceptBackoff): \(SystemError("accept4", errno: e))")
        }
    }

    /// Best-effort 503 on a connection over the cap, then close (uvicorn `limit_concurrency`).
    func rejectOverCapacity(fd: Int32) {
        overCapacityResponse.withUnsafeBytes { p in
            _ = Glibc.send(fd, p.baseAddress, p.count, Sys.MSG_NOSIGNAL | Int32(MSG_DONTWAIT))
        }
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }
}

/// A server configuration that cannot work.
public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
