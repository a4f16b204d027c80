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
