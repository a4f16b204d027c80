import Foundation
import Testing
@testable import VLServeKit

@Suite struct MemoryTrimmerTests {
    @Test(.timeLimit(.minutes(1))) func trimsOnRequestOnItsOwnThread() async {
        let trimmer = MemoryTrimmer(minimumInterval: 0)
        #expect(trimmer.trimCount == 0)
        trimmer.request()
        await trimmer.waitForTrims(1)
        trimmer.request()
        await trimmer.waitForTrims(2)
        #expect(trimmer.trimCount == 2)
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
