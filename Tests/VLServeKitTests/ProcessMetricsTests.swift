import Engine
import Foundation
import Observability
import Testing
@testable import VLServeKit

@Suite struct ProcessMetricsTests {
    @Test func parsesStatWithParenthesesAndSpacesInTheName() throws {
        // proc(5) fields 1..24 of a process named "a) (b c"; utime 150, stime 50, starttime 4200,
        // vsize 123456789, rss 2500.
        let line = "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 9 0 4200 123456789 2500 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try #require(ProcessMetrics.parseStat(line))
        #expect(stat.userTicks == 150 && stat.systemTicks == 50)
        #expect(stat.startTicks == 4200)
        #expect(stat.virtualBytes == 123_456_789)
        #expect(stat.residentPages == 2500)
        #expect(ProcessMetrics.parseStat("garbage") == nil)
    }

    @Test func rendersTheProcessCollectorMetrics() throws {
        let registry = MetricsRegistry()
        ProcessMetrics.register(in: registry)
        let text = registry.render()
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            values[String(parts[0])] = Double(parts[1])
        }
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\n"))
        #expect(try #require(values["process_resident_memory_bytes"]) > 1_000_000)
        #expect(try #require(values["process_virtual_memory_bytes"]) >= values["process_resident_memory_bytes"]!)
        #expect(try #require(values["process_cpu_seconds_total"]) > 0)
        let start = try #require(values["process_start_time_seconds"])
        #expect(abs(start - Date().timeIntervalSince1970) < 24 * 3600)
        let open = try #require(values["process_open_fds"])
        let max = try #require(values["process_max_fds"])
        #expect(open >= 3 && open <= max)
    }

    @Test func metricsEndpointCarriesThem() async throws {
        try await withServer { _, port in
            let response = try await request(port, "GET", "/metrics")
            #expect(response.status == 200)
            for name in ["process_resident_memory_bytes ", "process_open_fds ", "process_cpu_seconds_total ",
                         "vllm:prompt_tokens_total{"] {
                #expect(response.text.contains("\n" + name), "missing \(name)")
            }
        }
    }
}
