/// What the request parser produces.
public enum HTTPParserEvent: Sendable {
    /// A complete head. Always precedes `.request` for the same request, so a server can send
    /// `100 Continue` when `head.expectsContinue` is set and the body has not arrived yet.
    case head(HTTPRequestHead)
    /// A complete request with its decoded body.
    case request(HTTPRequest)
}
