#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// Every limit and timeout of the HTTP server, with the status each one sends.
///
/// Defaults follow the suggested table in shared/docs/http-hardening.md §1, except the keep-alive
/// idle timeout, which is 75 s (shared/docs/README.md: `vllm bench serve` keeps pooled connections
/// for 60 s and does not retry).
public struct ServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, or `localhost`. Default `127.0.0.1`.
    public var host: String
    /// TCP port; 0 picks a free one (`HTTPServer.start()` returns it). Default 8000.
    public var port: Int
    /// Event-loop threads; connections are accepted by whichever loop is idle
    /// (one listening socket registered with EPOLLEXCLUSIVE in every loop). Default: online cores.
    public var eventLoopCount: Int
    /// `listen(2)` backlog; Linux clamps it to `net.core.somaxconn`. Default 1024. Past it the kernel refuses/drops SYNs.
    public var backlog: Int
    /// Most open connections. Default 10,000, lowered at start to `RLIMIT_NOFILE` minus a margin
    /// (128, or a quarter of limits under 512) for other descriptors. Past it a
    /// new connection gets `503` + `Retry-After: 1` + `Connection: close` and is closed.
    public var maxConnections: Int
    /// Request line (414), head (431), header count (431), body (413), chunk line (400), trailers (431).
    public var parserLimits: HTTPParserLimits
    /// Absolute deadline for a request head: from accept (first request) or from its first byte
    /// (later requests) to the end of the headers. Default 10 s. Then `408` + close
    /// (silent close if no byte of the request arrived).
    public var headTimeout: Duration
    /// Longest gap between two reads of a request body. Default 15 s. Then `408` + close.
    public var bodyIdleTimeout: Duration
    /// Absolute deadline for a whole request body, from the end of its head. Default 60 s. Then `408` + close.
    public var bodyTimeout: Duration
    /// Idle time allowed between requests on a keep-alive connection. Default 75 s. Then a silent close.
    public var keepAliveIdleTimeout: Duration
    /// Requests served per connection; the last one gets `Connection: close`. Default 1000.
    public var maxRequestsPerConnection: Int
    /// Time a response may make no write progress while bytes are pending (client not reading).
    /// Default 30 s. Then the response is aborted (`onClose` fires) and the connection closed.
    public var writeStallTimeout: Duration
    /// Most response bytes buffered per connection beyond what the socket accepted. Default 8 MiB.
    /// Past it the response is aborted (`onClose` fires) and the connection closed.
    public var maxWriteBufferSize: Int
    /// Most unparsed request bytes read ahead while a response is in flight (pipelining). Default 64 KiB;
    /// past it the connection stops reading until the response finishes.
    public var maxReadAheadSize: Int
    /// After an error response, how long to keep reading (and discarding) before closing, so the client
    /// sees the response instead of a reset. Default 2 s.
    public var lingerTimeout: Duration
    /// Most bytes discarded while lingering. Default 1 MiB.
    public var maxLingerBytes: Int
    /// Pause before accepting again after `EMFILE`/`ENFILE`/`ENOBUFS`/`ENOMEM`. Default 100 ms.
    public var acceptBackoff: Duration
    /// `TCP_NODELAY` on accepted sockets, so each SSE event leaves at once. Default true.
    public var tcpNoDelay: Bool
    /// What a read EOF means while a response is in flight. TCP cannot tell a half-close
    /// (`shutdown(SHUT_WR)`) from a full close until a write fails. Default `.finishResponse`
    /// (http-hardening.md §2.12): the response is still sent; a client that really left is detected
    /// by the next write (EPIPE/ECONNRESET), so streams abort within one event. `.abort` is vLLM's
    /// (uvicorn's) behaviour: `onClose` fires at once, which also frees requests still queued.
    public var peerEOFWhileResponding: PeerEOFPolicy
    /// Receives one line per notable transport event (accept back-off, internal errors). Default nil (silent).
    public var log: (@Sendable (String) -> Void)?

    public init(host: String = "127.0.0.1", port: Int = 8000,
                eventLoopCount: Int = ServerConfiguration.onlineCores,
                backlog: Int = 1024, maxConnections: Int = 10_000,
                parserLimits: HTTPParserLimits = HTTPParserLimits(),
                headTimeout: Duration = .seconds(10), bodyIdleTimeout: Duration = .seconds(15),
                bodyTimeout: Duration = .seconds(60), keepAliveIdleTimeout: Duration = .seconds(75),
                maxRequestsPerConnection: Int = 1000, writeStallTimeout: Duration = .seconds(30),
                maxWriteBufferSize: Int = 8 * 1024 * 1024, maxReadAheadSize: Int = 64 * 1024,
                lingerTimeout: Duration = .seconds(2), maxLingerBytes: Int = 1024 * 1024,
                acceptBackoff: Duration = .milliseconds(100), tcpNoDelay: Bool = true,
                peerEOFWhileResponding: PeerEOFPolicy = .finishResponse,
                log: (@Sendable (String) -> Void)? = nil) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.backlog = backlog
        self.maxConnections = maxConnections
        self.parserLimits = parserLimits
        self.headTimeout = headTimeout
        self.bodyIdleTimeout = bodyIdleTimeout
        self.bodyTimeout = bodyTimeout
        self.keepAliveIdleTimeout = keepAliveIdleTimeout
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.writeStallTimeout = writeStallTimeout
        self.maxWriteBufferSize = maxWriteBufferSize
        self.maxReadAheadSize = maxReadAheadSize
        self.lingerTimeout = lingerTimeout
        self.maxLingerBytes = maxLingerBytes
        self.acceptBackoff = acceptBackoff
        self.tcpNoDelay = tcpNoDelay
        self.peerEOFWhileResponding = peerEOFWhileResponding
        self.log = log
    }

    /// Online CPU cores (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Period of the per-loop timeout sweep: a quarter of the shortest timeout, between 5 ms and 1 s.
    var sweepInterval: Duration {
        let shortest = [headTimeout, bodyIdleTimeout, bodyTimeout, keepAliveIdleTimeout, writeStallTimeout, lingerTimeout].min()!
        return min(max(shortest / 4, .milliseconds(5)), .seconds(1))
    }
}
