#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex owned by a class so it has a stable address.
final class Lock: @unchecked Sendable {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always) func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A one-shot latch: `wait()` blocks until `signal()` has been called (once or more).
final class Latch: @unchecked Sendable {
    private let lock = Lock()
    private let cond: UnsafeMutablePointer<pthread_cond_t>
    private var done = false

    init() {
        cond = .allocate(capacity: 1)
        cond.initialize(to: pthread_cond_t())
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        cond.deallocate()
    }

    func signal() {
        lock.withLock {
            done = true
            pthread_cond_broadcast(cond)
        }
    }

    func wait() {
        lock.lock()
        while !done { pthread_cond_wait(cond, lock.mutex) }
        lock.unlock()
    }
}
