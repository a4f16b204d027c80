import Foundation
import Testing
@testable import VLServeKit

/// What the substituted trim saw: the (OS) names of the threads it ran on.
private final class TrimRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String?] = []
    func add(_ name: String?) { lock.withLock { names.append(name) } }
    var threadNames: [String?] { lock.withLock { names } }
}

@Suite struct MemoryTrimmerTests {
    @Test(.timeLimit(.minutes(1))) func trimsOnRequestOnItsOwnThread() async {
        let record = TrimRecord()
        let release = DispatchSemaphore(value: 0)
        let trimmer = MemoryTrimmer(minimumInterval: 0, trim: {
            // The OS thread's name, as top -H shows it.
            let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            record.add(comm?.trimmingCharacters(in: .newlines))
            release.wait()   // the trim blocks until the test lets it go
        })
        #expect(trimmer.trimCount == 0)
        // request() returns while the first trim is still blocked: the trim does not run on the caller.
        trimmer.request()
        #expect(trimmer.trimCount == 0)
        release.signal()
        await trimmer.waitForTrims(1)
        trimmer.request()
        release.signal()
        await trimmer.waitForTrims(2)
        #expect(trimmer.trimCount == 2)
        #expect(record.threadNames == ["vlserve-trim", "vlserve-trim"])
        trimmer.shutdown()
    }

    @Test func shutdownEndsAWaitForTrimsThatWillNotHappen() async {
        let trimmer = MemoryTrimmer(minimumInterval: 3600)
        trimmer.request()
        await trimmer.waitForTrims(1)   // the first trim is not rate-limited
        trimmer.request()               // the second would wait an hour
        async let waited: Void = trimmer.waitForTrims(2)
        trimmer.shutdown()
        await waited
        #expect(trimmer.trimCount == 1)
    }

    @Test(.timeLimit(.minutes(1))) func serverTrimsWhenTheEngineGoesIdle() async throws {
        try await withServer { server, port in
            let trimmer = try #require(server.trimmer)
            let response = try await request(port, "POST", "/v1/chat/completions",
                                             body: chatBody(images: [try jpegDataURL()], extra: ",\"max_tokens\":3"))
            #expect(response.status == 200)
            await trimmer.waitForTrims(1)
            #expect(trimmer.trimCount >= 1)
        }
    }
}
