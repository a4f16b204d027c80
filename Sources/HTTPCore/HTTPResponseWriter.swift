/// Serialises response heads and chunked-body framing into bytes. Pure; no I/O.
///
/// Outbound fields are validated (NIO's outbound validation, http-hardening.md §2.15): a field whose
/// name is not a token or whose value contains CR, LF, NUL or another CTL is dropped rather than
/// written, so request data can never split a response.
public enum HTTPResponseWriter {
    /// Appends the status line, `head.headers` (minus any the `framing` replaces), the framing and
    /// connection fields, and the blank line to `buffer`.
    /// - Parameters:
    ///   - framing: nil writes `head.headers` exactly (after validation).
    ///   - keepAlive: writes `Connection: close` when false; for HTTP/1.0 writes `Connection: keep-alive` when true.
    public static func writeHead(_ head: HTTPResponseHead, framing: HTTPResponseFraming?, keepAlive: Bool,
                                 into buffer: inout [UInt8]) {
        writeStatusLine(version: head.version, status: head.status, into: &buffer)
        for field in head.headers {
            if framing != nil && isFramingField(field.name) { continue }
            writeField(name: field.name, value: field.value, into: &buffer)
        }
        writeFraming(framing, version: head.version, keepAlive: keepAlive, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// The head as a new byte array (see `writeHead`).
    public static func head(_ head: HTTPResponseHead, framing: HTTPResponseFraming?, keepAlive: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        writeHead(head, framing: framing, keepAlive: keepAlive, into: &out)
        return out
    }

    /// Appends `HTTP/x.y code reason\r\n`.
    public static func writeStatusLine(version: HTTPVersion, status: HTTPStatus, into buffer: inout [UInt8]) {
        if version == .http1_1 && status.code == 200 && status.reasonPhrase == "OK" {
            buffer.append(contentsOf: ok11)
            return
        }
        buffer.append(contentsOf: [0x48, 0x54, 0x54, 0x50, 0x2F]) // "HTTP/"
        writeDecimal(version.major, into: &buffer)
        buffer.append(UInt8(ascii: "."))
        writeDecimal(version.minor, into: &buffer)
        buffer.append(ASCII.sp)
        writeDecimal(max(100, min(999, status.code)), into: &buffer)
        buffer.append(ASCII.sp)
        for b in status.reasonPhrase.utf8 where ASCII.isFieldValueByte(b) { buffer.append(b) }
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    static let ok11: [UInt8] = Array("HTTP/1.1 200 OK\r\n".utf8)

    /// Appends `name: value\r\n` if both are valid (token name; value without CTL other than HTAB); returns whether it was written.
    @discardableResult
    public static func writeField(name: String, value: String, into buffer: inout [UInt8]) -> Bool {
        guard isValidFieldName(name), isValidFieldValue(value) else { return false }
        buffer.append(contentsOf: name.utf8)
        buffer.append(ASCII.colon)
        buffer.append(ASCII.sp)
        buffer.append(contentsOf: value.utf8)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        return true
    }

    /// Appends the framing fields for `framing`, then `Connection` as `keepAlive` and `version` require.
    public static func writeFraming(_ framing: HTTPResponseFraming?, version: HTTPVersion, keepAlive: Bool,
                                    into buffer: inout [UInt8]) {
        switch framing {
        case .some(.contentLength(let n)):
            buffer.append(contentsOf: contentLengthPrefix)
            writeDecimal(n, into: &buffer)
            buffer.append(ASCII.cr)
            buffer.append(ASCII.lf)
        case .some(.chunked):
            buffer.append(contentsOf: chunkedField)
        default:
            break
        }
        if !keepAlive {
            buffer.append(contentsOf: connectionClose)
        } else if version.minor == 0 {
            buffer.append(contentsOf: connectionKeepAlive)
        }
    }

    static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    static let chunkedField: [UInt8] = Array("Transfer-Encoding: chunked\r\n".utf8)
    static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)

    /// Appends one chunk: `hex-size CRLF bytes CRLF`. An empty `bytes` writes nothing (a zero-size
    /// chunk would end the body; use `writeLastChunk`).
    public static func writeChunk(_ bytes: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        writeHex(bytes.count, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        buffer.append(contentsOf: bytes)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// One chunk as a new byte array (see `writeChunk`).
    public static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 12)
        bytes.withUnsafeBytes { writeChunk($0, into: &out) }
        return out
    }

    /// The last chunk with no trailers: `0\r\n\r\n`.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Appends `lastChunk`.
    public static func writeLastChunk(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: lastChunk)
    }

    /// Whether `name` is one of the fields the writer owns when it frames a response.
    public static func isFramingField(_ name: String) -> Bool {
        HTTPHeaders.equalsIgnoringASCIICase(name, "content-length")
            || HTTPHeaders.equalsIgnoringASCIICase(name, "transfer-encoding")
            || HTTPHeaders.equalsIgnoringASCIICase(name, "connection")
    }

    /// A field name is a non-empty token (RFC 9110 §5.1).
    public static func isValidFieldName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in !bytes.isEmpty && bytes.allSatisfy(ASCII.isTchar) }
    }

    /// A field value has no CTL other than HTAB (so no CR, LF or NUL) and no DEL.
    public static func isValidFieldValue(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { $0.allSatisfy(ASCII.isFieldValueByte) }
    }

    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the decimal form of `n` (negative values are written as 0).
    public static func writeDecimal(_ n: Int, into buffer: inout [UInt8]) {
        guard n > 0 else { buffer.append(0x30); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes, enough for 20 digits
        var len = 0
        var v = UInt(n)
        withUnsafeMutableBytes(of: &tmp) { p in
            while v > 0 {
                p[23 - len] = digits[Int(v % 10)]
                v /= 10
                len += 1
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[(24 - len)...]))
        }
    }

    /// Appends the lowercase hex form of `n` (n >= 0).
    public static func writeHex(_ n: Int, into buffer: inout [UInt8]) {
        guard n > 0 else { buffer.append(0x30); return }
        var shift = (Int.bitWidth - n.leadingZeroBitCount + 3) / 4 * 4 - 4
        while shift >= 0 {
            buffer.append(digits[(n >> shift) & 0xF])
            shift -= 4
        }
    }
}
