#if canImport(Glibc)
import Glibc
#endif

/// A resolved server address (IPv4 or IPv6) for client connections.
public struct ClientAddress: Sendable {
    var storage: [UInt8]
    var length: socklen_t
    var family: Int32
    public let host: String
    public let port: Int

    /// Resolves `host` (name, IPv4 or IPv6 literal, brackets allowed) with getaddrinfo, preferring
    /// the first result. Blocking: call once at start-up, not on an event loop.
    public static func resolve(host: String, port: Int) throws(HTTPClientError) -> ClientAddress {
        var h = host
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var res: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(h, String(port), &hints, &res)
        guard rc == 0, let first = res else {
            throw .resolve(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(res) }
        let len = Int(first.pointee.ai_addrlen)
        var bytes = [UInt8](repeating: 0, count: len)
        bytes.withUnsafeMutableBytes { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: len))
        }
        return ClientAddress(storage: bytes, length: socklen_t(len), family: first.pointee.ai_family, host: host, port: port)
    }
}

/// Thin non-blocking socket calls for the client (everything else lives in the connection's state).
enum ClientSocket {
    /// Creates a non-blocking, close-on-exec TCP socket with TCP_NODELAY and starts connecting.
    /// Returns the descriptor and whether the connection is already established.
    static func connect(_ a: ClientAddress) throws(HTTPClientError) -> (Int32, Bool) {
        let fd = socket(a.family, Sys.SOCK_STREAM | Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC, 0)
        guard fd >= 0 else { throw .connect(host: a.host, port: a.port, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let r = a.storage.withUnsafeBytes { p in
            Glibc.connect(fd, p.baseAddress!.assumingMemoryBound(to: sockaddr.self), a.length)
        }
        if r == 0 { return (fd, true) }
        let e = errno
        if e == EINPROGRESS || e == EINTR { return (fd, false) }
        close(fd)
        throw .connect(host: a.host, port: a.port, reason: String(cString: strerror(e)))
    }

    /// The pending error of a socket whose connect finished (0 = connected).
    static func pendingError(_ fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 { return errno }
        return err
    }
}
