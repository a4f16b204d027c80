import Dispatch
import Foundation
import Engine
import Observability

/// `vlserve serve` from a built server to its exit: start and say where it listens, wait for a stop
/// signal, then stop in order (`VLServer.shutdown`: stop accepting, let in-flight responses finish for up to
/// `drainTimeout` and close what is left, stop the engine, join the image pool and the memory trimmer).
/// Every log line here is a `notice` (printed at any level; scripts read "listening on").
public struct ServeLifecycle: Sendable {
    public let server: VLServer
    /// The address the server binds, for the "listening on" line.
    public let host: String
    /// How long streams in flight may run on after the stop signal (`--drain-timeout`, 30 s).
    public let drainTimeout: Duration
    /// How long, after the stop signal, `/health` answers 503 while the server still accepts and serves
    /// everything else (`--readiness-grace`, default 0): a balancer's health check takes the replica out
    /// before its listener closes. In Kubernetes a preStop sleep does this job instead.
    public let readinessGrace: Duration
    let logger: Logger

    public init(server: VLServer, host: String, drainTimeout: Duration, readinessGrace: Duration = .zero,
                logger: Logger) {
        self.server = server
        self.host = host
        self.drainTimeout = drainTimeout
        self.readinessGrace = readinessGrace
        self.logger = logger
    }

    /// Starts the server and logs its base URLs; returns the bound port. When binding fails, logs it, stops the
    /// parts already running (engine, image pool, trimmer) and rethrows.
    @discardableResult
    public func start() throws -> Int {
        let port: Int
        do {
            port = try server.start()
        } catch {
            logger.error("could not listen on \(host):\(server.http.configuration.port): \(error)")
            shutdown()
            throw error
        }
        logger.notice("listening on http://\(host):\(port) (OpenAI base URL http://\(host):\(port)/v1)")
        return port
    }

    /// Blocks until `stop` reports a signal, marks the server draining (`/health` 503), keeps serving for
    /// `readinessGrace` (or until a second signal), then drains and shuts down (`shutdown()`); returns the signal.
    public func waitForStopThenShutdown(_ stop: some StopSignalSource) -> Int32 {
        let received = stop.waitForStop()
        server.app.beginDraining()
        if readinessGrace > .zero {
            logger.notice("received \(StopSignals.name(received)): /health answers 503; still serving for "
                            + "\(Self.seconds(readinessGrace)) s (--readiness-grace; a second signal ends it)")
            let secondSignal = DispatchSemaphore(value: 0)
            // Blocks in `waitForStop` until a second signal; if none comes it stays parked until the process exits.
            Thread { _ = stop.waitForStop(); secondSignal.signal() }.start()
            _ = secondSignal.wait(timeout: .now() + Self.interval(readinessGrace))
        }
        logger.notice("received \(StopSignals.name(received)): no new connections; draining for up to "
                        + "\(Self.seconds(drainTimeout)) s")
        shutdown()
        logger.notice("stopped")
        return received
    }

    /// Drains and shuts the server down, blocking the calling thread until it is done. The shutdown runs on the
    /// cooperative pool: call this from a thread of its own (the main thread), never from an async task.
    public func shutdown() {
        let done = DispatchSemaphore(value: 0)
        let (server, timeout) = (server, drainTimeout)
        Task.detached {
            await server.shutdown(drainTimeout: timeout)
            done.signal()
        }
        done.wait()
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = interval(duration)
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }

    private static func interval(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
