#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Engine
import Foundation
import NetIO
import Observability
import Testing
@testable import VLServeKit

/// A stop source the test triggers by hand (stands in for SIGINT/SIGTERM).
private final class ManualStop: StopSignalSource, @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let signal = Locked<Int32>(0)
    func send(_ number: Int32) {
        signal.withLock { $0 = number }
        semaphore.signal()
    }
    func waitForStop() -> Int32 {
        semaphore.wait()
        return signal.withLock { $0 }
    }
}

/// Log lines kept in memory.
private final class LogLines: Sendable {
    private let lines = Locked<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: Logger { Logger(label: "vlserve", sink: { line in self.lines.withLock { $0.append(line) } }) }
}

@Suite struct ServeLifecycleTests {
    @Test(.timeLimit(.minutes(1))) func stopSignalDrainsStreamsThenStopsEverything() async throws {
        // 2 ms per step, 40 tokens: the stream is still running when the signal comes.
        let server = try makeServer(engine: EngineConfiguration(
            modelName: "test-vlm", costModel: CostModel(decodeStepMs: 2, perSequenceMs: 0, prefillMsPer1kTokens: 0)))
        let log = LogLines()
        let lifecycle = ServeLifecycle(server: server, host: "127.0.0.1", drainTimeout: .seconds(20), logger: log.logger)
        let port = try lifecycle.start()
        #expect(log.all.last?.hasSuffix("notice vlserve: listening on http://127.0.0.1:\(port) "
                                         + "(OpenAI base URL http://127.0.0.1:\(port)/v1)") == true, "\(log.all)")
        let connection = try await RawConnection.open(port: port)
        defer { connection.close() }
        await connection.send(rawChatRequest(chatBody(extra: ",\"max_tokens\":40,\"ignore_eos\":true,\"stream\":true"),
                                             extraHeaders: "Connection: close\r\n"))
        let head = await connection.read(until: { String(decoding: $0, as: UTF8.self).contains("\"role\":\"assistant\"") })
        try #require(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))

        let stop = ManualStop()
        async let received = onThread { lifecycle.waitForStopThenShutdown(stop) }
        stop.send(SIGTERM)
        let rest = String(decoding: head + (await connection.readToEnd()), as: UTF8.self)
        #expect(await received == SIGTERM)
        #expect(rest.contains("\"finish_reason\":\"length\""))
        #expect(rest.contains("data: [DONE]\n\n"))
        #expect(server.engine.counters.finishedLength == 1)
        #expect(server.engine.counters.aborted == 0)
        // Everything is stopped: no listener, no engine thread, no image pool.
        await #expect(throws: (any Error).self) { _ = try await RawConnection.open(port: port) }
        #expect(!server.engine.isAlive)
        #expect(!server.pool.submit {})
        let lines = log.all
        #expect(lines.contains { $0.hasSuffix("notice vlserve: received SIGTERM: no new connections; draining for up to 20 s") },
                "\(lines)")
        #expect(lines.last?.hasSuffix("notice vlserve: stopped") == true, "\(lines)")
    }

    @Test(.timeLimit(.minutes(1))) func streamsStillRunningAtTheDrainTimeoutAreCut() async throws {
        // 2 ms per step, 4000 tokens: at least 8 s of decoding, far beyond the 50 ms drain.
        let server = try makeServer(engine: EngineConfiguration(
            modelName: "test-vlm", costModel: CostModel(decodeStepMs: 2, perSequenceMs: 0, prefillMsPer1kTokens: 0)))
        let lifecycle = ServeLifecycle(server: server, host: "127.0.0.1", drainTimeout: .milliseconds(50), logger: .silent())
        let port = try lifecycle.start()
        let connection = try await RawConnection.open(port: port)
        defer { connection.close() }
        await connection.send(rawChatRequest(chatBody(extra: ",\"max_tokens\":4000,\"ignore_eos\":true,\"stream\":true"),
                                             extraHeaders: "Connection: close\r\n"))
        let head = await connection.read(until: { String(decoding: $0, as: UTF8.self).contains("\"role\":\"assistant\"") })
        try #require(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        let stop = ManualStop()
        async let received = onThread { lifecycle.waitForStopThenShutdown(stop) }
        stop.send(SIGINT)
        let rest = String(decoding: head + (await connection.readToEnd()), as: UTF8.self)
        #expect(await received == SIGINT)
        #expect(!rest.contains("data: [DONE]"))
        #expect(server.engine.counters.finishedLength == 0)
        #expect(!server.engine.isAlive)
    }

    @Test(.timeLimit(.minutes(1))) func aPortInUseFailsStartAndStopsWhatRuns() async throws {
        let (first, port) = try startServer()
        var configuration = testServerConfiguration()
        configuration.port = port
        let second = try makeServer(server: configuration)
        let log = LogLines()
        let lifecycle = ServeLifecycle(server: second, host: "127.0.0.1", drainTimeout: .seconds(1), logger: log.logger)
        // On a thread of its own: after the failure, start() waits for the shutdown of what it started.
        let failed = await onThread { () -> Bool in
            do { try lifecycle.start(); return false } catch { return true }
        }
        #expect(failed)
        #expect(log.all.contains { $0.contains("error  vlserve: could not listen on 127.0.0.1:\(port): ") }, "\(log.all)")
        #expect(!second.engine.isAlive)
        #expect(!second.pool.submit {})
        await first.shutdown(drainTimeout: .seconds(1))
    }

    /// The real `sigwait` source, with a signal sent to the waiting thread only (never to the test process):
    /// SIGUSR2 is blocked in that thread, so it stays pending there until `waitForStop` takes it.
    @Test func stopSignalsReceiveASignalBlockedInTheWaitingThread() async {
        let received: Int32 = await onThread {
            let stop = StopSignals.install([SIGUSR2])
            pthread_kill(pthread_self(), SIGUSR2)
            let received = stop.waitForStop()
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            return received
        }
        #expect(received == SIGUSR2)
        #expect(StopSignals.name(SIGINT) == "SIGINT" && StopSignals.name(SIGTERM) == "SIGTERM")
        #expect(StopSignals.name(SIGUSR2) == "signal \(SIGUSR2)")
    }
}

@Suite struct AppConfigurationFlagTests {
    @Test func cacheSizeIsANonNegativeNumberOfGiB() throws {
        #expect(try AppConfiguration.cacheGiB(parsing: "4") == 4)
        #expect(try AppConfiguration.cacheGiB(parsing: " 0.5 ") == 0.5)
        #expect(try AppConfiguration.cacheGiB(parsing: "0") == 0)
        #expect(AppConfiguration().mmProcessorCacheGiB == 4)
        for bad in ["-1", "four", "", "nan", "inf"] {
            #expect(throws: FlagValueError("--mm-processor-cache-gb must be a number of GiB ≥ 0 (default 4.0; 0 disables the "
                                               + "image cache), got '\(bad)'")) { try AppConfiguration.cacheGiB(parsing: bad) }
        }
    }

    @Test func imageLimitReadsVLLMsForms() throws {
        #expect(try AppConfiguration.imageLimit(parsing: "4") == 4)
        #expect(try AppConfiguration.imageLimit(parsing: " 0 ") == 0)
        #expect(try AppConfiguration.imageLimit(parsing: "{\"image\": 2}") == 2)
        #expect(try AppConfiguration.imageLimit(parsing: "{\"image\": {\"count\": 3, \"width\": 512}}") == 3)
        #expect(try AppConfiguration.imageLimit(parsing: "{\"video\": 1}") == 999)
        let form = "--limit-mm-per-prompt must be JSON such as '{\"image\": 4}' or a number, got "
        #expect(throws: FlagValueError(form + "'-1'")) { try AppConfiguration.imageLimit(parsing: "-1") }
        #expect(throws: FlagValueError(form + "'{image: 2}'")) { try AppConfiguration.imageLimit(parsing: "{image: 2}") }
        #expect(throws: FlagValueError(form + "'[2]'")) { try AppConfiguration.imageLimit(parsing: "[2]") }
        let count = "--limit-mm-per-prompt: \"image\" must be a non-negative count, got "
        #expect(throws: FlagValueError(count + "'{\"image\": -2}'")) { try AppConfiguration.imageLimit(parsing: "{\"image\": -2}") }
        #expect(throws: FlagValueError(count + "'{\"image\": \"2\"}'")) {
            try AppConfiguration.imageLimit(parsing: "{\"image\": \"2\"}")
        }
    }

    @Test func defaultModelRootNamesTheQwenRepository() {
        #expect(AppConfiguration.defaultModelRoot(modelDirectory: "models/qwen2.5-vl-7b") == "Qwen/Qwen2.5-VL-7B-Instruct")
        #expect(AppConfiguration.defaultModelRoot(modelDirectory: "/m/Qwen2.5-VL-72B/") == "Qwen/Qwen2.5-VL-72B-Instruct")
        #expect(AppConfiguration.defaultModelRoot(modelDirectory: "/m/llava") == "/m/llava")
    }
}
