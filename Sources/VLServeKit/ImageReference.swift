/// An image part of a request: its URL and the request path of that URL (for error `param`s).
public struct ImageReference: Sendable, Equatable {
    public var url: String
    public var param: String

    public init(url: String, param: String) {
        self.url = url
        self.param = param
    }
}
