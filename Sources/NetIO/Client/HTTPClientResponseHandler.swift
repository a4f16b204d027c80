import HTTPCore

/// Receives one response's events on the event-loop thread, in order: `requestSent`, `head`,
/// any number of `body`, then exactly one of `end` / `failed` (`failed` may come at any point).
public protocol HTTPClientResponseHandler: AnyObject {
    /// The last request byte was handed to the kernel at monotonic time `nanos`.
    func requestSent(atNanos nanos: UInt64)
    func head(_ head: HTTPResponseHead)
    /// Decoded body bytes from one network read, read at monotonic time `nanos`.
    func body(_ bytes: [UInt8], atNanos nanos: UInt64)
    func end(atNanos nanos: UInt64)
    func failed(_ error: HTTPClientError)
}
