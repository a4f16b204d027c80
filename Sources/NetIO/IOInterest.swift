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
