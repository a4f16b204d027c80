#if canImport(Glibc)
import Glibc
#endif

// epoll(7) and eventfd(2) are not in Swift's Glibc module map, so they are bound by symbol name.
// All arguments are scalars or pointers, whose Swift and C calling conventions agree on Linux.
@_silgen_name("epoll_create1") func sys_epoll_create1(_ flags: Int32) -> Int32
@_silgen_name("epoll_ctl") func sys_epoll_ctl(_ epfd: Int32, _ op: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer?) -> Int32
@_silgen_name("epoll_wait") func sys_epoll_wait(_ epfd: Int32, _ events: UnsafeMutableRawPointer, _ maxevents: Int32, _ timeout: Int32) -> Int32
@_silgen_name("accept4") func sys_accept4(_ fd: Int32, _ addr: UnsafeMutableRawPointer?, _ len: UnsafeMutableRawPointer?, _ flags: Int32) -> Int32
@_silgen_name("pthread_setname_np") func sys_pthread_setname_np(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32
@_silgen_name("eventfd") func sys_eventfd(_ initval: UInt32, _ flags: Int32) -> Int32

/// Linux constants (x86_64/aarch64 values), kept in one place (http-hardening.md §3).
enum Sys {
    static let EPOLL_CLOEXEC: Int32 = 0x80000
    static let EPOLL_CTL_ADD: Int32 = 1
    static let EPOLL_CTL_DEL: Int32 = 2
    static let EPOLL_CTL_MOD: Int32 = 3
    static let EPOLLIN: UInt32 = 0x001
    static let EPOLLOUT: UInt32 = 0x004
    static let EPOLLERR: UInt32 = 0x008
    static let EPOLLHUP: UInt32 = 0x010
    static let EPOLLRDHUP: UInt32 = 0x2000
    static let EPOLLEXCLUSIVE: UInt32 = 1 << 28
    /// `struct epoll_event` is packed on x86_64: u32 events + u64 data = 12 bytes.
    #if arch(x86_64)
    static let epollEventSize = 12
    static let epollDataOffset = 4
    #else
    static let epollEventSize = 16
    static let epollDataOffset = 8
    #endif
    static let EFD_CLOEXEC: Int32 = 0x80000
    static let EFD_NONBLOCK: Int32 = 0x800
    static let SOCK_STREAM = Int32(Glibc.SOCK_STREAM.rawValue)
    static let SOCK_NONBLOCK = Int32(Glibc.SOCK_NONBLOCK.rawValue)
    static let SOCK_CLOEXEC = Int32(Glibc.SOCK_CLOEXEC.rawValue)
    static let MSG_NOSIGNAL = Int32(Glibc.MSG_NOSIGNAL)
}

/// Retries `body` while it fails with EINTR; returns its result (which may be -1 with `errno` set).
@inline(__always)
func retryingEINTR<T: FixedWidthInteger>(_ body: () -> T) -> T {
    while true {
        let r = body()
        if r == -1 && errno == EINTR { continue }
        return r
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
@inline(__always)
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

extension Duration {
    /// Whole nanoseconds, clamped at 0.
    var nanoseconds: UInt64 {
        let (s, a) = components
        let n = s * 1_000_000_000 + a / 1_000_000_000
        return n < 0 ? 0 : UInt64(n)
    }
}

/// Ignores SIGPIPE once per process (Linux has no SO_NOSIGPIPE; http-hardening.md §2.10).
enum SignalSetup {
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
