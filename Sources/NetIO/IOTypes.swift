/// What a registered descriptor wants to hear about.
public struct IOInterest: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Readable (EPOLLIN; EPOLLRDHUP is always requested with it).
    public static let read = IOInterest(rawValue: 1)
    /// Writable (EPOLLOUT). Register it only while output is pending: epoll is level-triggered.
    public static let write = IOInterest(rawValue: 2)
    /// Only hang-ups and errors (always reported).
    public static let none: IOInterest = []
}

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

/// Receives readiness events for a descriptor registered on an `EventLoop`. Called on the loop thread.
public protocol IOEventHandler: AnyObject {
    func handleIO(_ events: IOEvents)
}

/// Identifies a scheduled timer so it can be cancelled.
public struct TimerHandle: Sendable, Hashable {
    public let id: UInt64
}
