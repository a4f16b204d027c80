/// A request the parser refuses, with the status to answer. After any parse error the byte stream
/// is untrustworthy: the server answers `status` (if no response has started) and closes.
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for tests and logs.
    public enum Kind: Sendable, Hashable {
        case requestLineTooLong          // 414
        case headTooLarge                // 431
        case tooManyHeaders              // 431
        case bodyTooLarge                // 413
        case trailersTooLarge            // 431
        case invalidRequestLine          // 400
        case unknownMethod               // 501
        case unsupportedVersion          // 505
        case bareCR                      // 400
        case bareLF                      // 400
        case obsFold                     // 400
        case invalidHeaderName           // 400
        case whitespaceBeforeColon       // 400
        case invalidHeaderValue          // 400 (CTL/NUL)
        case missingHost                 // 400
        case duplicateHost               // 400
        case invalidContentLength        // 400 (non-numeric, list, overflow)
        case duplicateContentLength      // 400
        case contentLengthWithTransferEncoding // 400
        case duplicateTransferEncoding   // 400
        case transferEncodingOnHTTP10    // 400
        case unsupportedTransferEncoding // 501 (ends in chunked but is not exactly chunked)
        case invalidTransferEncoding     // 400 (does not end in chunked)
        case invalidChunkSize            // 400 (non-hex, > 16 hex digits, bad extension)
        case invalidChunkTerminator      // 400 (chunk data not followed by CRLF)
        case tooManyEmptyLines           // 400
    }

    public var kind: Kind
    /// The status the server sends (400, 413, 414, 431, 501, 505).
    public var status: HTTPStatus
    /// A short human-readable reason. Never contains request bytes.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
        switch kind {
        case .requestLineTooLong: status = .uriTooLong
        case .headTooLarge, .tooManyHeaders, .trailersTooLarge: status = .requestHeaderFieldsTooLarge
        case .bodyTooLarge: status = .contentTooLarge
        case .unknownMethod, .unsupportedTransferEncoding: status = .notImplemented
        case .unsupportedVersion: status = .httpVersionNotSupported
        default: status = .badRequest
        }
    }

    public var description: String { "\(status.code) \(reason)" }
}
