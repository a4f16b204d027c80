/// Why a response could not be parsed. After any error the connection must be closed.
public struct HTTPResponseParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case headTooLarge, tooManyHeaders, invalidStatusLine, unsupportedVersion, invalidHeader
        case invalidContentLength, unsupportedTransferEncoding, invalidChunkSize
        case invalidChunkTerminator, bodyTooLarge, truncatedBody, truncatedHead, unexpectedData
    }
    public var kind: Kind
    public var reason: String
    public init(_ kind: Kind, _ reason: String) { self.kind = kind; self.reason = reason }
    public var description: String { "invalid HTTP response: \(reason)" }
}
