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

/// A stop source the test triggers by hand; each `waitForStop` takes one `send`.
private final class QueuedStop: StopSignalSource, @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let signals = Locked<[Int32]>([])
    func send(_ number: Int32) {
        signals.withLock { $0.append(number) }
        semaphore.signal()
    }
    func waitForStop() -> Int32 {
        semaphore.wait()
        return signals.withLock { $0.removeFirst() }
    }
}

/// What orchestrators and routers read: `/health` (probes, balancer checks) and the queue gauges (autoscalers).
@Suite struct OrchestratorProbeTests {
    @Test func healthIs503OnceDrainingWhileEveryOtherRouteIsStillServed() async throws {
        try await withServer { server, port in
            #expect(try await request(port, "GET", "/health").status == 200)
            server.app.beginDraining()
            #expect(try await request(port, "GET", "/health").status == 503)
            #expect(try await request(port, "POST", "/ping").status == 503)
            #expect(try await request(port, "GET", "/v1/models").status == 200)
            let chat = try await request(port, "POST", "/v1/chat/completions", body: chatBody(extra: ",\"max_tokens\":2"))
            #expect(chat.status == 200)
        }
    }

    @Test(.timeLimit(.minutes(1))) func readinessGraceKeepsAcceptingUntilASecondSignal() async throws {
        let server = try makeServer()
        // A grace far longer than the test: only the second signal can end it.
        let lifecycle = ServeLifecycle(server: server, host: "127.0.0.1", drainTimeout: .seconds(5),
                                       readinessGrace: .seconds(600), logger: .silent())
        let port = try lifecycle.start()
        let stop = QueuedStop()
        async let received = onThread { lifecycle.waitForStopThenShutdown(stop) }
        stop.send(SIGTERM)
        // The first request that sees 503 proves the drain began; each try is a real request, not a sleep.
        var health = 200
        for _ in 0..<10_000 where health == 200 {
            health = try await request(port, "GET", "/health").status
        }
        #expect(health == 503)
        // Still listening during the grace: new connections get served.
        #expect(try await request(port, "GET", "/v1/models").status == 200)
        stop.send(SIGINT)
        #expect(await received == SIGTERM)
        await #expect(throws: (any Error).self) { _ = try await RawConnection.open(port: port) }
        #expect(!server.engine.isAlive)
    }

    @Test(.timeLimit(.minutes(1))) func queueGaugesCountRunningAndWaitingUnderLoad() async throws {
        // One sequence at a time, 2 ms per step, 3000 tokens (6 s): the first stream runs, the others wait.
        let engine = EngineConfiguration(modelName: "test-vlm", maxNumSeqs: 1,
                                         costModel: CostModel(decodeStepMs: 2, perSequenceMs: 0, prefillMsPer1kTokens: 0))
        try await withServer(engine: engine) { server, port in
            var connections: [RawConnection] = []
            for _ in 0..<3 {
                let connection = try await RawConnection.open(port: port)
                await connection.send(rawChatRequest(chatBody(extra: ",\"max_tokens\":3000,\"ignore_eos\":true,\"stream\":true")))
                connections.append(connection)
            }
            // Also wakes on a rejection or an early finish, so a regression fails instead of hanging.
            await server.engine.waitUntil { ($0.running == 1 && $0.waiting == 2) || $0.finished + $0.rejected > 0 }
            #expect(server.engine.counters.finished + server.engine.counters.rejected == 0)
            let metrics = String(decoding: try await request(port, "GET", "/metrics").body, as: UTF8.self)
            #expect(metrics.contains("vllm:num_requests_running{model_name=\"test-vlm\",engine=\"0\"} 1.0"))
            #expect(metrics.contains("vllm:num_requests_waiting{model_name=\"test-vlm\",engine=\"0\"} 2.0"))
            #expect(metrics.contains("vlserve:image_pool_pending{model_name=\"test-vlm\",engine=\"0\"} 0.0"))
            for connection in connections { connection.close() }   // the abort policy cancels all three
            await server.engine.waitUntil { $0.running == 0 && $0.waiting == 0 }
            let after = String(decoding: try await request(port, "GET", "/metrics").body, as: UTF8.self)
            #expect(after.contains("vllm:num_requests_running{model_name=\"test-vlm\",engine=\"0\"} 0.0"))
            #expect(after.contains("vllm:num_requests_waiting{model_name=\"test-vlm\",engine=\"0\"} 0.0"))
        }
    }
}
