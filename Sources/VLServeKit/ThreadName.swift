#if canImport(Glibc)
import Glibc
#endif

// Not in Swift's Glibc module map; bound by symbol name (a scalar and a pointer in, a scalar out).
@_silgen_name("pthread_setname_np") private func sys_pthread_setname_np(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32

/// Names the calling thread as the OS shows it (`top -H`, `/proc/<pid>/task/<tid>/comm`); Linux keeps 15 bytes.
/// Foundation's `Thread.name` does not do this reliably on Linux: a name set before `start()`, or from inside
/// the thread before `start()` has returned in its creator, never reaches the OS thread, which then keeps its
/// creator's name.
func nameCurrentThread(_ name: String) {
    _ = sys_pthread_setname_np(pthread_self(), String(name.prefix(15)))
}
