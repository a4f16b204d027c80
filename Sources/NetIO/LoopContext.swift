#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// The server's state on one event loop: its connections, the shared read buffer, the listener
/// registration and the timeout sweep. Loop-thread only.
final class LoopContext {
    let loop: EventLoop
    /// Strong: the server (and its loops) live until `shutdown`, which breaks this cycle.
    let server: HTTPServer
    let readBuffer: UnsafeMutableRawPointer
    let readBufferSize = 64 * 1024
    var connections: [Int32: HTTPConnection] = [:]
    var draining = false
    var listening = false
    var acceptPaused = false
    var sweepTimer: TimerHandle?
    var onDrained: (() -> Void)?
    /// Test hook: the next n accepts fail with EMFILE (without calling accept).
    var injectedAcceptFailures = 0

    init(loop: EventLoop, server: HTTPServer) {
        self.loop = loop
        self.server = server
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: - Accepting

    func startListening() throws(SystemError) {
        try loop.registerExclusive(fd: server.listenFD, handler: Acceptor(context: self))
        listening = true
        scheduleSweep()
    }

    func stopListening() {
        guard listening else { return }
        listening = false
        loop.deregister(fd: server.listenFD)
    }

    /// Accepts pending connections (up to 64 per wake-up, so one loop cannot starve the others).
    func acceptAvailable() {
        let config = server.configuration
        for _ in 0..<64 {
            guard listening, !acceptPaused else { return }
            var fd: Int32
            var e: Int32 = 0
            if injectedAcceptFailures > 0 {
                injectedAcceptFailures -= 1
                fd = -1
                e = EMFILE
            } else {
                fd = retryingEINTR { sys_accept4(server.listenFD, nil, nil, Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC) }
                if fd < 0 { e = errno }
            }
            if fd < 0 {
                switch e {
                case EAGAIN, EWOULDBLOCK:
                    return
                case ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // The pending connection stays in the backlog; a level-triggered loop would spin.
                    // Stop watching the listener for a while (http-hardening.md §2.11).
                    server.noteAcceptBackoff(errno: e)
                    pauseAccepting(for: config.acceptBackoff)
                    return
                default:
                    config.log?("accept failed: \(SystemError("accept4", errno: e))")
                    pauseAccepting(for: config.acceptBackoff)
                    return
                }
            }
            if !server.reserveConnectionSlot() {
                server.rejectOverCapacity(fd: fd)
                continue
            }
            if config.tcpNoDelay {
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            let target = server.takeAcceptTarget() ?? self
            if target === self {
                adopt(fd)
            } else {
                let box = UncheckedBox(target)
                target.loop.enqueue { box.value.adopt(fd) }
            }
        }
    }

    /// Takes an accepted socket (from this loop's accept or handed over by another loop's).
    /// Closes it if this loop already stopped listening (shutdown).
    func adopt(_ fd: Int32) {
        guard listening, !draining else {
            close(fd)
            server.releaseConnectionSlot()
            return
        }
        let connection = HTTPConnection(fd: fd, context: self, now: monotonicNanos())
        do {
            try loop.register(fd: fd, interest: .read, handler: connection)
        } catch {
            server.configuration.log?("cannot watch an accepted socket: \(error)")
            close(fd)
            server.releaseConnectionSlot()
            return
        }
        connections[fd] = connection
    }

    private func pauseAccepting(for delay: Duration) {
        guard listening, !acceptPaused else { return }
        acceptPaused = true
        server.acceptPauses.add(1, ordering: .relaxed)
        loop.deregister(fd: server.listenFD)
        loop.schedule(after: delay) { [self] in
            self.acceptPaused = false
            guard self.listening else { return }
            do {
                try self.loop.registerExclusive(fd: self.server.listenFD, handler: Acceptor(context: self))
            } catch {
                self.server.configuration.log?("cannot resume accepting: \(error)")
            }
        }
    }

    // MARK: - Connections

    func connectionClosed(_ connection: HTTPConnection) {
        connections.removeValue(forKey: connection.fd)
        server.releaseConnectionSlot()
        if draining && connections.isEmpty { reportDrained() }
    }

    private func reportDrained() {
        let callback = onDrained
        onDrained = nil
        callback?()
    }

    /// Stops accepting and closes idle connections; calls `done` when the last connection has closed.
    func beginDrain(_ done: @escaping () -> Void) {
        draining = true
        onDrained = done
        for connection in Array(connections.values) { connection.beginDrain() }
        if connections.isEmpty { reportDrained() }
    }

    /// Closes every remaining connection (drain timeout), aborting their responses.
    func closeAll() {
        for connection in Array(connections.values) { connection.closeNow() }
    }

    // MARK: - Timeouts

    private func scheduleSweep() {
        sweepTimer = loop.schedule(after: server.configuration.sweepInterval) { [self] in
            self.sweep()
        }
    }

    private func sweep() {
        let now = monotonicNanos()
        for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
        if listening || !connections.isEmpty { scheduleSweep() }
    }
}

/// Accepts connections on the shared listening socket for one loop.
final class Acceptor: IOEventHandler {
    let context: LoopContext

    init(context: LoopContext) { self.context = context }

    func handleIO(_ events: IOEvents) {
        context.acceptAvailable()
    }
}
