#if canImport(Glibc)
import Glibc
#endif

// Not in Swift's Glibc module map; bound by symbol name (a scalar and a pointer in, a scalar out).
@_silgen_name("pthread_setname_np") private func sys_pthread_setname_np(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32

/// The name the OS shows for a thread (`top -H`, `ps -L`, `/proc/<pid>/task/<tid>/comm`), for the threads
/// VLServe and vlbench start themselves (the engine, image workers, the memory trimmer, vlbench's dispatcher and
/// progress bar; NetIO's event loops name theirs in NetIO, which depends on nothing above the kernel).
public enum ThreadName {
    /// Names the calling thread; Linux keeps the first 15 bytes. Foundation's `Thread.name` does not do this
    /// reliably on Linux: a name set before `start()`, or from inside the thread before `start()` has returned in
    /// its creator, never reaches the OS thread, which then keeps its creator's name.
    public static func setCurrent(_ name: String) {
        var bytes = Array(name.utf8.prefix(15))
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = sys_pthread_setname_np(pthread_self(), $0.baseAddress!) }
        }
    }
}
