/// Where the benchmark sends requests: `--base-url` or `--host`/`--port`, plus `--endpoint`
/// (vllm-bench-compat.md §1 step 2).
public struct ServerEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Path prefix of `--base-url` (e.g. "" or "/proxy"), without a trailing slash.
    public var basePath: String

    /// Parses `http://host[:port][/path]`. https is rejected (no TLS in vlbench).
    public static func parse(baseURL: String) throws(DatasetError) -> ServerEndpoint {
        var s = Substring(baseURL)
        if s.hasPrefix("https://") { throw DatasetError("--base-url \(baseURL): https is not supported by vlbench (plain HTTP only)") }
        guard s.hasPrefix("http://") else { throw DatasetError("--base-url must start with http://, got '\(baseURL)'") }
        s = s.dropFirst(7)
        let slash = s.firstIndex(of: "/") ?? s.endIndex
        let authority = s[..<slash]
        var path = String(s[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        var host = String(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw DatasetError("bad IPv6 host in --base-url '\(baseURL)'") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let p = Int(rest.dropFirst()) else { throw DatasetError("bad port in --base-url '\(baseURL)'") }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { throw DatasetError("bad port in --base-url '\(baseURL)'") }
            port = p
        }
        guard !host.isEmpty, (1...65535).contains(port) else { throw DatasetError("bad host or port in --base-url '\(baseURL)'") }
        return ServerEndpoint(host: host, port: port, basePath: path)
    }

    public init(host: String, port: Int, basePath: String = "") {
        var h = host
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        self.host = h
        self.port = port
        self.basePath = basePath
    }

    /// Printable base URL, e.g. `http://127.0.0.1:8000` (IPv6 bracketed).
    public var baseURL: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)\(basePath)"
    }

    /// Request target for `path` under the base path.
    public func target(_ path: String) -> String { basePath + path }
}
