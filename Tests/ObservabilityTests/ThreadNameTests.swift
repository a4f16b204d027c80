import Foundation
import Testing
@testable import Observability

/// `ThreadName.setCurrent` reaches the OS thread (what `top -H` shows), truncated to Linux's 15 bytes.
@Suite struct ThreadNameTests {
    @Test func namesTheCallingThreadAsTheOSShowsIt() async {
        let comm: String = await withCheckedContinuation { continuation in
            let thread = Thread {
                ThreadName.setCurrent("vlserve-test-thread-name")
                let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "<unreadable>"
                continuation.resume(returning: name.trimmingCharacters(in: .newlines))
            }
            thread.start()
        }
        #expect(comm == "vlserve-test-th")
    }
}
