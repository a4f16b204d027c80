import Dispatch

/// Splits `0..<count` into `threads` contiguous ranges and runs `body` on each, in parallel on GCD's
/// worker threads (not Swift's cooperative pool). `threads <= 1` runs inline on the calling thread.
enum ParallelRows {
    static func run(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threads, count))
        if parts == 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: parts) { i in
                work((count * i / parts)..<(count * (i + 1) / parts))
            }
        }
    }
}
