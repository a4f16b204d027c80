#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPCore
@testable import NetIO

/// A blocking TCP test client speaking raw bytes, with a receive timeout so a broken server fails
/// the test instead of hanging it.
final class RawSocket {
    let fd: Int32
    var pending: [UInt8] = []
    var sawEOF = false
    var timedOut = false

    init(port: Int, receiveTimeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket", errno: errno) }
        var tv = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: a class whose init throws after `fd` is set still runs deinit, which closes it
        // (closing here too would close a descriptor number some other test may already reuse).
        guard r == 0 else { throw SystemError("connect", errno: errno) }
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; returns false if the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Makes close send RST (SO_LINGER 0) and closes: a client that resets.
    func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Receives more bytes into `pending`; false on EOF, reset or timeout.
    @discardableResult
    func fill() -> Bool {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { sawEOF = true; return false }
        if n < 0 {
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK { timedOut = true } else { sawEOF = true }   // reset counts as closed
            return false
        }
        pending.append(contentsOf: buf[0..<n])
        return true
    }

    /// Reads one response (Content-Length, chunked, or to EOF). Nil if the connection ended first.
    func readResponse(isHEAD: Bool = false) -> TestResponse? {
        // A small independent reader (not the client's parser), so server tests do not depend on it.
        while true {
            if let end = find(pending, Array("\r\n\r\n".utf8)) {
                let headText = String(decoding: pending[0..<end], as: UTF8.self)
                var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
                let statusLine = lines.removeFirst()
                let parts = statusLine.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
                var headers: [(String, String)] = []
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.append((String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingCharacters(in: " ")))
                }
                pending.removeFirst(end + 4)
                var response = TestResponse(status: status, headers: headers, body: [])
                if status < 200 || status == 204 || status == 304 || isHEAD { return response }
                if let cl = response.header("content-length").flatMap({ Int($0) }) {
                    while pending.count < cl { guard fill() else { return nil } }
                    response.body = Array(pending[0..<cl])
                    pending.removeFirst(cl)
                } else if response.header("transfer-encoding") == "chunked" {
                    while true {
                        while find(pending, [0x0D, 0x0A]) == nil { guard fill() else { return nil } }
                        let lineEnd = find(pending, [0x0D, 0x0A])!
                        let size = Int(String(decoding: pending[0..<lineEnd], as: UTF8.self), radix: 16) ?? -1
                        guard size >= 0 else { return nil }
                        while pending.count < lineEnd + 2 + size + 2 { guard fill() else { return nil } }
                        if size == 0 {
                            pending.removeFirst(lineEnd + 4)
                            break
                        }
                        response.chunks.append(Array(pending[(lineEnd + 2)..<(lineEnd + 2 + size)]))
                        response.body += pending[(lineEnd + 2)..<(lineEnd + 2 + size)]
                        pending.removeFirst(lineEnd + 2 + size + 2)
                    }
                } else {
                    while fill() {}
                    response.body = pending
                    pending = []
                }
                return response
            }
            guard fill() else { return nil }
        }
    }

    /// True if the server closes the connection (after any buffered bytes) before the timeout.
    func readsEOF() -> Bool {
        while fill() {}
        return sawEOF
    }
}

struct TestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var chunks: [[UInt8]] = []

    func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }
    var text: String { String(decoding: body, as: UTF8.self) }
}

func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    outer: for i in 0...(haystack.count - needle.count) {
        for j in 0..<needle.count where haystack[i + j] != needle[j] { continue outer }
        return i
    }
    return nil
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

/// Runs the blocking `body` (socket reads with a 10 s receive timeout) on a thread of its own and
/// awaits it, so the test gives its cooperative-pool thread back meanwhile. Needed when what the read
/// waits for itself needs the pool (a `Task` the test started): on the 2-thread pool of a loaded full
/// run, blocking the pool there can starve that task past the receive timeout.
func offPool<T>(_ body: @escaping () -> T) async -> T {
    let work = UncheckedBox(body)
    return await withCheckedContinuation { (continuation: CheckedContinuation<UncheckedBox<T>, Never>) in
        Thread { continuation.resume(returning: UncheckedBox(work.value())) }.start()
    }.value
}
