#if canImport(Glibc)
import Glibc
#endif

// Not in Swift's Glibc module map; bound by symbol name (a scalar and a pointer in, a scalar out).
@_silgen_name("pthread_setname_np") private func sys_pthread_setname_np(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32

/// Names the calling thread as the OS shows it (`top -H`, `/proc/<pid>/task/<tid>/comm`); Linux keeps 15 bytes.
/// Foundation's `Thread.name` set before `start()` never reaches the OS thread on Linux, which then keeps its
/// creator's name (VLServeKit's worker pool and memory trimmer name theirs the same way).
func nameCurrentThread(_ name: String) {
    _ = sys_pthread_setname_np(pthread_self(), String(name.prefix(15)))
}
