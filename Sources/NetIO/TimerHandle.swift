/// Identifies a scheduled timer so it can be cancelled.
public struct TimerHandle: Sendable, Hashable {
    public let id: UInt64
}
