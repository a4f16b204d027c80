#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An in-test OpenAI-style server (blocking, one thread per connection) that streams like vLLM:
/// a role chunk, `tokens` single-token chunks `gapMicros` apart, a usage chunk, `data: [DONE]`,
/// chunked transfer encoding, keep-alive. Also answers `GET /v1/models`. Requests whose body
/// contains "FAIL" get `500 Internal Server Error`.
final class MockSSEServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    let tokens: Int
    let gapMicros: UInt32
    private let lock = NSLock()
    private var _requests = 0
    var requests: Int { lock.withLock { _requests } }

    init(tokens: Int = 4, gapMicros: UInt32 = 2000) {
        self.tokens = tokens
        self.gapMicros = gapMicros
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1024)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                Thread.detachNewThread { [self] in self.serve(c) }
            }
        }
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func send(_ c: Int32, _ s: String) {
        let b = Array(s.utf8)
        var off = 0
        while off < b.count {
            let n = b.withUnsafeBytes { Glibc.send(c, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    private func chunk(_ c: Int32, _ event: String) {
        send(c, String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n")
    }

    private func serve(_ c: Int32) {
        var buf: [UInt8] = []
        var tmp = [UInt8](repeating: 0, count: 1 << 16)
        defer { close(c) }
        while true {
            var headEnd = -1
            while headEnd < 0 {
                if buf.count >= 4 {
                    for i in 0...(buf.count - 4) where buf[i] == 13 && buf[i + 1] == 10 && buf[i + 2] == 13 && buf[i + 3] == 10 { headEnd = i; break }
                }
                if headEnd >= 0 { break }
                let n = recv(c, &tmp, tmp.count, 0)
                if n <= 0 { return }
                buf += tmp[0..<n]
            }
            let head = String(decoding: buf[0..<headEnd], as: UTF8.self)
            var len = 0
            for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                len = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
            while buf.count < headEnd + 4 + len {
                let n = recv(c, &tmp, tmp.count, 0)
                if n <= 0 { return }
                buf += tmp[0..<n]
            }
            let body = String(decoding: buf[(headEnd + 4)..<(headEnd + 4 + len)], as: UTF8.self)
            buf.removeFirst(headEnd + 4 + len)
            lock.withLock { _requests += 1 }
            if head.hasPrefix("GET /v1/models") {
                let j = #"{"object":"list","data":[{"id":"mock-model","object":"model","root":"mock/tokenizer"}]}"#
                send(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(j.utf8.count)\r\n\r\n\(j)")
                continue
            }
            if !head.hasPrefix("POST /v1/chat/completions") && !head.hasPrefix("POST /v1/completions") {
                send(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                continue
            }
            if body.contains("FAIL") {
                send(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}")
                continue
            }
            send(c, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n")
            chunk(c, #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n")
            for k in 0..<tokens {
                usleep(gapMicros)
                chunk(c, #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"t\#(k) "},"finish_reason":null}]}"# + "\n\n")
            }
            chunk(c, #"data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":111,"completion_tokens":\#(tokens),"total_tokens":\#(111 + tokens)}}"# + "\n\n")
            chunk(c, "data: [DONE]\n\n")
            send(c, "0\r\n\r\n")
        }
    }
}
