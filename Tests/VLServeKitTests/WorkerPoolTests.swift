import Foundation
import NetIO
import Testing
@testable import VLServeKit

@Suite struct WorkerPoolTests {
    /// Jobs run on the pool's own threads, which the OS (top -H, /proc) knows as `<name>-<i>`.
    @Test(.timeLimit(.minutes(1))) func jobsRunOnThePoolsNamedThreads() async {
        let pool = WorkerPool(threadCount: 2, name: "test-pool")
        let names = Locked<[String]>([])
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let left = Locked(4)
            for _ in 0..<4 {
                pool.submit {
                    let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
                    names.withLock { $0.append(comm.trimmingCharacters(in: .newlines)) }
                    if left.withLock({ $0 -= 1; return $0 }) == 0 { continuation.resume() }
                }
            }
        }
        pool.shutdown()
        #expect(names.withLock { $0 }.allSatisfy { $0 == "test-pool-0" || $0 == "test-pool-1" }, "\(names.withLock { $0 })")
        #expect(!pool.submit {})
    }
}
