import Foundation
import NetIO

/// A `vlserve serve` child process for `vlbench compare`: started with Foundation `Process`, its
/// output sent to a log file, ready when `GET /health` answers 200, stopped with SIGTERM (SIGKILL
/// after `stopTimeout`). With `--port 0` the port is read from the server's
/// "listening on http://HOST:PORT" log line.
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    /// The server's port (0 until discovered from the log when started with port 0).
    public private(set) var port: Int
    public let logPath: String

    /// Starts `executable` with `arguments`; stdout and stderr go to `logPath`. `port` is the port
    /// passed in `arguments` (0 = let the server pick and read it from the log).
    public init(executable: String, arguments: [String], port: Int, logPath: String) throws {
        self.port = port
        self.logPath = logPath
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("vlserve binary not found or not executable: \(executable) (build it with `swift build -c release --product vlserve` or pass --vlserve)")
        }
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw BenchmarkError("cannot create the server log \(logPath): check that its folder exists and is writable")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        ServerProcess.live.withLock { _ = $0.insert(process.processIdentifier) }
    }

    /// Child servers still running, killed by the signal cleanup.
    static let live = LockedPIDs()
    nonisolated(unsafe) static var signalSources: [DispatchSourceSignal] = []

    /// On SIGINT/SIGTERM: SIGTERM every child server started here, then exit with 128+signal, so an
    /// interrupted `vlbench compare` leaves no server behind. Call once, from the main thread.
    public static func installSignalCleanup() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler {
                let pids = live.withLock { $0 }
                for p in pids { kill(p, SIGTERM) }
                usleep(500_000)
                for p in pids { kill(p, SIGKILL) }
                exit(128 + sig)
            }
            src.resume()
            signalSources.append(src)
        }
    }

    /// Polls `GET /health` every 250 ms until 200, the process exits, or `timeout` seconds pass.
    public func waitUntilHealthy(timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while port == 0 {
            if let p = Self.listeningPort(inLog: logPath) { port = p; break }
            if !process.isRunning {
                throw BenchmarkError("vlserve exited with status \(process.terminationStatus) before listening; see \(logPath)")
            }
            if Date() >= deadline { throw BenchmarkError("vlserve did not report its port within \(Int(timeout)) s; see \(logPath)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let loop = try EventLoop(name: "vlbench-health")
        loop.start()
        defer { loop.shutdown() }
        let client = HTTPClient(loop: loop, address: try ClientAddress.resolve(host: "127.0.0.1", port: port), keepAliveSeconds: 0)
        let api = ServerAPI(client: client, endpoint: ServerEndpoint(host: "127.0.0.1", port: port), apiKey: nil, headers: [])
        while Date() < deadline {
            if !process.isRunning {
                throw BenchmarkError("vlserve exited with status \(process.terminationStatus) before becoming healthy; see \(logPath)")
            }
            if await api.healthy() { return }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        throw BenchmarkError("vlserve did not answer GET /health with 200 within \(Int(timeout)) s; see \(logPath)")
    }

    /// SIGTERM, wait up to `stopTimeout` s, then SIGKILL; waits for the exit.
    public func stop(stopTimeout: Double = 15) {
        defer { ServerProcess.live.withLock { _ = $0.remove(process.processIdentifier) } }
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(stopTimeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The port of the first "listening on http://HOST:PORT" line of the log, if any.
    public static func listeningPort(inLog path: String) -> Int? {
        guard let bytes = PosixFile.readAll(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let r = text.range(of: "listening on http://") else { return nil }
        let rest = text[r.upperBound...]
        let addr = rest.prefix { !$0.isWhitespace && $0 != "/" }
        guard let colon = addr.lastIndex(of: ":") else { return nil }
        return Int(addr[addr.index(after: colon)...])
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError("socket() failed while picking a port") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw BenchmarkError("could not bind a free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A lock-protected set of process ids.
final class LockedPIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: Set<Int32> = []
    func withLock<T>(_ body: (inout Set<Int32>) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&pids)
    }
}
