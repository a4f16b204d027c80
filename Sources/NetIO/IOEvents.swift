/// What happened on a descriptor.
public struct IOEvents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readable = IOEvents(rawValue: 1)
    public static let writable = IOEvents(rawValue: 2)
    /// The peer shut down its write side (EPOLLRDHUP); reads will return 0 once drained.
    public static let readHangup = IOEvents(rawValue: 4)
    /// Both directions are gone (EPOLLHUP).
    public static let hangup = IOEvents(rawValue: 8)
    /// A socket error is pending (EPOLLERR); the next read or write reports it.
    public static let error = IOEvents(rawValue: 16)
}
