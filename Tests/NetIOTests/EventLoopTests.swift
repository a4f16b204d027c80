#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NetIO
import Synchronization

/// The time limit turns a loop that never runs a task or timer into a failure instead of a hung run.
@Suite(.timeLimit(.minutes(1))) struct EventLoopTests {
    @Test func executeRunsTasksInOrderOnTheLoopThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        loop.start()
        let seen = Locked<[Int]>([])
        let done = AsyncQueue<Bool>()
        for i in 0..<100 {
            loop.execute {
                precondition(loop.inEventLoop)
                seen.withLock { $0.append(i) }
                if i == 99 { done.push(true) }
            }
        }
        #expect(!loop.inEventLoop)
        _ = await done.next()
        #expect(seen.withLock { $0 } == Array(0..<100))
        loop.shutdown()
    }

    @Test func timersFireByDeadlineAndCancelledOnesDoNot() async throws {
        let loop = try EventLoop(name: "test-timers")
        loop.start()
        let fired = AsyncQueue<String>()
        loop.execute {
            loop.schedule(after: .milliseconds(30)) { fired.push("b") }
            loop.schedule(after: .milliseconds(10)) { fired.push("a") }
            let c = loop.schedule(after: .milliseconds(20)) { fired.push("cancelled") }
            loop.cancel(c)
        }
        // From another thread too.
        let handle = loop.schedule(after: .milliseconds(15)) { fired.push("cancelled-cross") }
        loop.cancel(handle)
        loop.schedule(after: .milliseconds(40)) { fired.push("c") }
        #expect(await fired.next() == "a")
        #expect(await fired.next() == "b")
        #expect(await fired.next() == "c")
        loop.shutdown()
    }

    @Test func registeredDescriptorGetsReadableEvents() async throws {
        final class PipeReader: IOEventHandler, @unchecked Sendable {
            let fd: Int32
            let got: AsyncQueue<[UInt8]>
            init(fd: Int32, got: AsyncQueue<[UInt8]>) { self.fd = fd; self.got = got }
            func handleIO(_ events: IOEvents) {
                var buf = [UInt8](repeating: 0, count: 16)
                let n = read(fd, &buf, 16)
                if n > 0 { got.push(Array(buf[0..<n])) }
            }
        }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        let loop = try EventLoop(name: "test-io")
        let got = AsyncQueue<[UInt8]>()
        try loop.register(fd: fds[0], interest: .read, handler: PipeReader(fd: fds[0], got: got))
        loop.start()
        var msg: [UInt8] = [1, 2, 3]
        _ = write(fds[1], &msg, 3)
        #expect(await got.next() == [1, 2, 3])
        let box = UncheckedBox(fds[0])
        let deregistered = AsyncQueue<Bool>()
        loop.execute { loop.deregister(fd: box.value); deregistered.push(true) }
        _ = await deregistered.next()
        loop.shutdown()
        close(fds[0]); close(fds[1])
    }

    /// Once the loop has exited, what it still held (timers that never fired, tasks queued after
    /// shutdown) is released, so captures cannot keep a cycle through the loop alive.
    @Test func shutdownReleasesUnrunTimersAndLateTasks() throws {
        final class Capture: Sendable {}
        let loop = try EventLoop(name: "test-release")
        loop.start()
        weak var timerCapture: Capture?
        weak var lateCapture: Capture?
        do {
            let early = Capture(), late = Capture()
            timerCapture = early
            lateCapture = late
            loop.schedule(after: .seconds(3600)) { _ = early }
            loop.shutdown()
            loop.execute { _ = late }
        }
        #expect(timerCapture == nil)
        #expect(lateCapture == nil)
    }
}
