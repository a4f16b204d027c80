/// Size limits the response parser enforces.
public struct HTTPResponseParserLimits: Sendable {
    /// Status line plus headers, bytes. Default 64 KiB.
    public var maxHeadBytes: Int = 64 << 10
    /// Header field count. Default 200.
    public var maxHeaderCount: Int = 200
    /// Decoded body bytes per response. Default 1 GiB.
    public var maxBodyBytes: Int = 1 << 30
    public init() {}
}
