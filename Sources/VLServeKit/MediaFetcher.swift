#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// A tiny blocking HTTP/1.1 GET client for `http://` image URLs, run on a worker-pool thread.
/// One connection per fetch (`Connection: close`), an overall deadline, a body size cap; no TLS,
/// no redirects. Uses HTTPCore's response parser for framing.
public struct MediaFetcher: Sendable {
    public enum FetchError: Error, Equatable, CustomStringConvertible {
        case resolve(String)
        case connect(String)
        case timeout(seconds: Double)
        case tooLarge(limit: Int)
        case status(Int)
        case protocolError(String)

        public var description: String {
            switch self {
            case .resolve(let why): "could not resolve the host (\(why))"
            case .connect(let why): "could not connect (\(why))"
            case .timeout(let seconds): "no complete response within \(seconds) s"
            case .tooLarge(let limit): "the image is larger than \(limit) bytes"
            case .status(let code): "the server answered HTTP \(code)"
            case .protocolError(let why): "invalid response (\(why))"
            }
        }
    }

    public let timeoutSeconds: Double
    public let maxBytes: Int

    public init(timeoutSeconds: Double, maxBytes: Int) {
        self.timeoutSeconds = timeoutSeconds
        self.maxBytes = maxBytes
    }

    /// GETs `http://host:port/target` and returns the body of a 200 response.
    public func get(host: String, port: Int, target: String) throws(FetchError) -> [UInt8] {
        let deadline = Self.now() + timeoutSeconds
        let fd = try connect(host: host, port: port, deadline: deadline)
        defer { close(fd) }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Accept", value: "image/*")
        headers.add(name: "User-Agent", value: "vlserve")
        let hostHeader = port == 80 ? host : "\(host):\(port)"
        let request = HTTPClientRequest(method: "GET", target: target, headers: headers).serialize(host: hostHeader)
        try sendAll(fd, request, deadline: deadline)
        var limits = HTTPResponseParserLimits()
        limits.maxBodyBytes = maxBytes
        var parser = HTTPResponseParser(limits: limits)
        var body: [UInt8] = []
        var status = 0
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            try waitReadable(fd, deadline: deadline)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .connect(String(cString: strerror(errno)))
            }
            let events: [HTTPResponseEvent]
            do {
                events = count == 0 ? try parser.finish() : try parser.feed(buffer[0..<count])
            } catch {
                if error.kind == .bodyTooLarge { throw .tooLarge(limit: maxBytes) }
                throw .protocolError(error.reason)
            }
            for event in events {
                switch event {
                case .head(let head):
                    status = head.status.code
                    guard status == 200 else { throw .status(status) }
                case .body(let bytes):
                    body.append(contentsOf: bytes)
                    if body.count > maxBytes { throw .tooLarge(limit: maxBytes) }
                case .end:
                    return body
                }
            }
            if count == 0 { throw .protocolError("connection closed before the response ended") }
        }
    }

    private func connect(host: String, port: Int, deadline: Double) throws(FetchError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else { throw .resolve(String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(result) }
        var lastError = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
                            info.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            if errno == EINPROGRESS {
                do {
                    try waitFor(fd, events: Int16(POLLOUT), deadline: deadline)
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    if error == 0 { return fd }
                    lastError = String(cString: strerror(error))
                } catch {
                    close(fd)
                    throw error
                }
            } else {
                lastError = String(cString: strerror(errno))
            }
            close(fd)
        }
        throw .connect(lastError)
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws(FetchError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0, errno == EINTR { continue }
            if sent < 0, errno == EAGAIN { try waitFor(fd, events: Int16(POLLOUT), deadline: deadline); continue }
            throw .connect(String(cString: strerror(errno)))
        }
    }

    private func waitReadable(_ fd: Int32, deadline: Double) throws(FetchError) {
        try waitFor(fd, events: Int16(POLLIN), deadline: deadline)
    }

    private func waitFor(_ fd: Int32, events: Int16, deadline: Double) throws(FetchError) {
        while true {
            let remaining = deadline - Self.now()
            if remaining <= 0 { throw .timeout(seconds: timeoutSeconds) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&entry, 1, Int32(min(remaining * 1000 + 1, 60_000)))
            if rc > 0 { return }
            if rc < 0, errno != EINTR { throw .connect(String(cString: strerror(errno))) }
        }
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
