#if canImport(Glibc)
import Glibc
#endif

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
