/// Size limits the request parser enforces while reading, so it never buffers beyond them.
/// Defaults follow the suggested table in shared/docs/http-hardening.md §1.
public struct HTTPParserLimits: Sendable, Hashable {
    /// Longest request line in bytes, CRLF excluded. Default 8 KiB (nginx large buffer). Over it: 414.
    public var maxRequestLineLength: Int
    /// Longest head (request line + header fields + CRLFs). Default 32 KiB (nginx 4 × 8 KiB). Over it: 431.
    public var maxHeadSize: Int
    /// Most header fields. Default 100 (gunicorn). Over it: 431.
    public var maxHeaderCount: Int
    /// Largest body (Content-Length, or decoded chunked total). Default 16 MiB (base64 images). Over it: 413.
    public var maxBodySize: Int
    /// Longest chunk-size line including extensions. Default 1 KiB. Over it: 400.
    public var maxChunkLineLength: Int
    /// Largest trailer section after the last chunk. Default 4 KiB (Go). Over it: 431.
    public var maxTrailerSize: Int
    /// Empty lines tolerated before a request line (RFC 9112 §2.2). Default 4. Over it: 400.
    public var maxLeadingEmptyLines: Int

    public init(maxRequestLineLength: Int = 8 * 1024, maxHeadSize: Int = 32 * 1024, maxHeaderCount: Int = 100,
                maxBodySize: Int = 16 * 1024 * 1024, maxChunkLineLength: Int = 1024, maxTrailerSize: Int = 4 * 1024,
                maxLeadingEmptyLines: Int = 4) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeadSize = maxHeadSize
        self.maxHeaderCount = maxHeaderCount
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
        self.maxTrailerSize = maxTrailerSize
        self.maxLeadingEmptyLines = maxLeadingEmptyLines
    }
}
