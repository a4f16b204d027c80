import Foundation
import OpenAIAPI

/// Turns an `image_url.url` into encoded image bytes (blocking; run on a worker-pool thread),
/// following vLLM's `MediaConnector` rules (openai-api.md §2.2, §6.3):
/// - `data:<mediatype>;base64,<payload>` (scheme case-insensitive; whitespace and missing padding tolerated);
///   a non-base64 data URL is 501 "Only base64 data URLs are supported for now.";
/// - `file://<absolute path>` only under `allowedLocalMediaPath` (symlinks resolved);
/// - `http://host[:port]/path` only for hosts in `allowedMediaDomains`, with a timeout and a size cap;
/// - `https://` is refused (no TLS in this server); anything else is 400
///   "The URL must be either a HTTP, data or file URL."
/// Every failure is an `APIError` (400 unless stated) whose `param` is the URL's request path.
public struct MediaLoader: Sendable {
    public let options: MediaOptions

    public init(options: MediaOptions) {
        self.options = options
    }

    /// The encoded bytes of the image at `url`. `param` names the field, e.g. `messages[0].content[1].image_url.url`.
    public func load(_ url: String, param: String) throws(APIError) -> [UInt8] {
        let lower = url.prefix(8).lowercased()
        if lower.hasPrefix("data:") { return try loadDataURL(url, param: param) }
        if lower.hasPrefix("file://") { return try loadFile(url, param: param) }
        if lower.hasPrefix("http://") { return try fetch(url, param: param) }
        if lower.hasPrefix("https://") {
            throw .invalidRequest("https:// image URLs are not supported by this server (it has no TLS client); "
                                      + "send the image as a base64 data: URL or from an http:// host in --allowed-media-domains.",
                                  param: param)
        }
        throw .invalidRequest("The URL must be either a HTTP, data or file URL.", param: param)
    }

    // MARK: data:

    /// Decodes a base64 data URL (RFC 2397).
    public func loadDataURL(_ url: String, param: String) throws(APIError) -> [UInt8] {
        let utf8 = url.utf8
        guard let comma = utf8.firstIndex(of: UInt8(ascii: ",")) else {
            throw .invalidRequest("Invalid data URL: no ',' separates the header from the data.", param: param)
        }
        let header = String(decoding: utf8[utf8.index(utf8.startIndex, offsetBy: 5)..<comma], as: UTF8.self)
        let fields = header.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count >= 2, fields.last?.lowercased() == "base64" else {
            throw .notImplemented("Only base64 data URLs are supported for now.", param: param)
        }
        let mediaType = fields[0].lowercased()
        guard mediaType.isEmpty || mediaType.hasPrefix("image/") else {
            throw .invalidRequest("Invalid data URL media type \"\(fields[0])\": expected an image (image/jpeg or image/png).",
                                  param: param)
        }
        let payloadLength = utf8.distance(from: comma, to: utf8.endIndex) - 1
        if payloadLength / 4 * 3 > options.maxMediaBytes + 3 {
            throw .invalidRequest("The image is larger than the server's limit of \(options.maxMediaBytes) bytes.", param: param)
        }
        guard let bytes = Self.decodeBase64(utf8[utf8.index(after: comma)...]) else {
            throw .invalidRequest("Invalid data URL: the payload is not valid base64.", param: param)
        }
        return bytes
    }

    /// Standard or URL-safe base64; ASCII whitespace is skipped and padding is optional. nil if invalid.
    public static func decodeBase64<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): padding += 1; continue
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return nil
            }
            if padding > 0 { return nil }  // data after padding
            accumulator = (accumulator << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        if padding > 2 || bits >= 6 { return nil }
        return out
    }

    // MARK: file://

    func loadFile(_ url: String, param: String) throws(APIError) -> [UInt8] {
        guard let root = options.allowedLocalMediaPath else {
            throw .invalidRequest("Cannot load local files without --allowed-local-media-path.", param: param)
        }
        var path = String(url.dropFirst(7))
        if !path.hasPrefix("/") {
            // file://localhost/path
            guard let slash = path.firstIndex(of: "/"), path[..<slash].lowercased() == "localhost" else {
                throw .invalidRequest("file:// URLs must name an absolute local path, e.g. file:///data/cat.png.", param: param)
            }
            path = String(path[slash...])
        }
        path = path.removingPercentEncoding ?? path
        let resolvedRoot = Self.realPath(root) ?? root
        guard let resolved = Self.realPath(path) else {
            throw .invalidRequest("Cannot read local file \(path): it does not exist.", param: param)
        }
        let prefix = resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/"
        guard resolved.hasPrefix(prefix) else {
            throw .invalidRequest("The file path \(path) must be a subpath of `--allowed-local-media-path` \(root).",
                                  param: param)
        }
        guard let handle = FileHandle(forReadingAtPath: resolved) else {
            throw .invalidRequest("Cannot read local file \(path).", param: param)
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: options.maxMediaBytes + 1)) ?? Data()
        if data.count > options.maxMediaBytes {
            throw .invalidRequest("The image is larger than the server's limit of \(options.maxMediaBytes) bytes.", param: param)
        }
        return [UInt8](data)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: http://

    /// Splits `http://host[:port][/path]` into parts; nil if malformed.
    public static func parseHTTPURL(_ url: String) -> (host: String, port: Int, target: String)? {
        let rest = url.dropFirst(7)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        var host = String(authority)
        var port = 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { guard let p = Int(after.dropFirst()) else { return nil }; port = p }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]) else { return nil }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return (host.lowercased(), port, target)
    }

    func fetch(_ url: String, param: String) throws(APIError) -> [UInt8] {
        guard let (host, port, target) = Self.parseHTTPURL(url) else {
            throw .invalidRequest("Invalid http:// image URL.", param: param)
        }
        guard options.allowedMediaDomains.contains(where: { $0.lowercased() == host }) else {
            let allowed = options.allowedMediaDomains.isEmpty
                ? "no domains are allowed (start the server with --allowed-media-domains)"
                : "allowed: \(options.allowedMediaDomains.joined(separator: ", "))"
            throw .invalidRequest("The image URL's host \(host) is not in --allowed-media-domains; \(allowed).", param: param)
        }
        do {
            return try MediaFetcher(timeoutSeconds: options.fetchTimeoutSeconds, maxBytes: options.maxMediaBytes)
                .get(host: host, port: port, target: target)
        } catch {
            throw .invalidRequest("Could not fetch the image from \(url): \(error).", param: param)
        }
    }
}
