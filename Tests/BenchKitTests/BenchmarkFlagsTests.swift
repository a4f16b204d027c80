import OpenAIAPI
import Testing
@testable import BenchKit

/// `BenchmarkOptions(flags:environment:)`: each validation rule of `vlbench serve`'s flags and its message.
@Suite struct BenchmarkFlagsTests {
    /// The flags with `edit` applied, expected to be rejected with exactly `message`.
    func expectRejected(_ message: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ edit: (inout BenchmarkFlags) -> Void) {
        var flags = BenchmarkFlags()
        edit(&flags)
        #expect(throws: FlagError(message), sourceLocation: sourceLocation) { try BenchmarkOptions(flags: flags) }
    }

    func options(_ edit: (inout BenchmarkFlags) -> Void = { _ in }, environment: [String: String] = [:]) throws
        -> BenchmarkOptions {
        var flags = BenchmarkFlags()
        edit(&flags)
        return try BenchmarkOptions(flags: flags, environment: environment)
    }

    @Test func defaultsAreVLLMs() throws {
        let o = try options()
        #expect(o.backend == .openai)
        #expect(o.endpoint == ServerEndpoint(host: "127.0.0.1", port: 8000))
        #expect(o.endpointPath == "/v1/completions")
        #expect(o.dataset.name == "random")
        #expect(o.numPrompts == 1000)
        #expect(o.requestRate == .infinity && o.burstiness == 1)
        #expect(o.seed == 0 && o.ignoreEOS == nil && o.effectiveIgnoreEOS)
        #expect(o.readyCheckTimeout == 0)
        #expect(o.percentileMetrics == [.ttft, .tpot, .itl])
        #expect(o.metricPercentiles == [99])
        #expect(o.extraBody.isEmpty)
        #expect(o.apiKey == nil)
        let prefix = o.requestIDPrefix
        #expect(prefix.hasPrefix("bench-") && prefix.hasSuffix("-") && prefix.count == "bench-".count + 9)
        #expect(prefix.dropFirst(6).dropLast().allSatisfy { $0.isHexDigit })
    }

    @Test func connectionRules() throws {
        #expect(try options { $0.backend = .openaiChat }.endpointPath == "/v1/chat/completions")
        #expect(try options { $0.baseURL = "http://10.0.0.2:9000" }.endpoint == ServerEndpoint(host: "10.0.0.2", port: 9000))
        expectRejected("--base-url https://x: https is not supported by vlbench (plain HTTP only)") {
            $0.baseURL = "https://x"
        }
        expectRejected("--endpoint must end in completions or chat/completions (got '/v1/models')") {
            $0.endpoint = "/v1/models"
        }
        expectRejected("--backend openai-chat needs --endpoint /v1/chat/completions") {
            $0.backend = .openaiChat
            $0.endpoint = "/v1/completions"
        }
        #expect(try options { $0.headers = ["X-A=1=2", "X-B="] }.headers.map { "\($0.0)|\($0.1)" } == ["X-A|1=2", "X-B|"])
        expectRejected("--header expects KEY=VALUE, got 'X-A'") { $0.headers = ["X-A"] }
        expectRejected("--header expects KEY=VALUE, got '=v'") { $0.headers = ["=v"] }
        #expect(try options(environment: ["OPENAI_API_KEY": "sk-1"]).apiKey == "sk-1")
        #expect(try options(environment: ["OPENAI_API_KEY": ""]).apiKey == nil)
    }

    @Test func datasetRules() throws {
        expectRejected("--dataset-path cannot be used with --dataset-name random") { $0.datasetPath = "x.json" }
        expectRejected("--dataset-path cannot be used with --dataset-name random-mm") {
            $0.datasetName = .randomMM
            $0.datasetPath = "x.json"
        }
        expectRejected("--dataset-name sharegpt needs --dataset-path FILE.json") { $0.datasetName = .sharegpt }
        expectRejected("--dataset-name custom needs --dataset-path FILE.jsonl") { $0.datasetName = .custom }
        expectRejected("--num-prompts must be > 0") { $0.numPrompts = 0 }
        expectRejected("--random-range-ratio values must be in [0, 1), got 1.5") { $0.randomRangeRatio = "1.5" }
        guard case .random(let text) = try options({ $0.inputLen = 7; $0.randomInputLen = 9; $0.outputLen = 3 }).dataset else {
            Issue.record("expected the random dataset")
            return
        }
        #expect(text.inputLen == 7 && text.outputLen == 3)   // the aliases win
        guard case .shareGPT(let path, let outputLen, let shuffle, let oversample) = try options({
            $0.datasetName = .sharegpt
            $0.datasetPath = "s.json"
            $0.outputLen = 5
            $0.sharegptOutputLen = 6
            $0.disableShuffle = true
        }).dataset else {
            Issue.record("expected sharegpt")
            return
        }
        #expect(path == "s.json" && outputLen == 6 && !shuffle && oversample)
        guard case .custom(_, let customOutput, _) = try options({ $0.datasetName = .custom; $0.datasetPath = "c.jsonl" }).dataset
        else {
            Issue.record("expected custom")
            return
        }
        #expect(customOutput == 256)
        #expect(DatasetName(flag: "custom_mm") == .custom && DatasetName(flag: "custom-mm") == .custom)
        #expect(DatasetName(flag: "sonnet") == nil)
    }

    @Test func loadShapeRules() throws {
        let o = try options {
            $0.requestRate = "16"
            $0.burstiness = "INF"
            $0.maxConcurrency = 4
            $0.seed = 4_294_967_295
        }
        #expect(o.requestRate == 16 && o.burstiness == .infinity && o.maxConcurrency == 4 && o.seed == 4_294_967_295)
        expectRejected("--request-rate must be a positive number or inf, got '0'") { $0.requestRate = "0" }
        expectRejected("--burstiness must be a positive number or inf, got 'fast'") { $0.burstiness = "fast" }
        expectRejected("--max-concurrency must be > 0") { $0.maxConcurrency = 0 }
        expectRejected("--ramp-up-strategy needs --ramp-up-start-rps and --ramp-up-end-rps") {
            $0.rampUpStrategy = .linear
            $0.rampUpStartRPS = 1
        }
        expectRejected("--ramp-up-strategy requires --request-rate to be left at inf") {
            $0.rampUpStrategy = .exponential
            $0.rampUpStartRPS = 1
            $0.rampUpEndRPS = 8
            $0.requestRate = "4"
        }
        #expect(try options {
            $0.rampUpStrategy = .exponential
            $0.rampUpStartRPS = 1
            $0.rampUpEndRPS = 8
        }.rampUp == RampUp(strategy: .exponential, startRPS: 1, endRPS: 8))
        let seedMessage = "--seed must be between 0 and 4294967295 (numpy's legacy seeding, as in vllm bench serve), got "
        expectRejected(seedMessage + "-1") { $0.seed = -1 }
        expectRejected(seedMessage + "4294967296") { $0.seed = 4_294_967_296 }
        #expect(try options { $0.ignoreEOS = true }.ignoreEOS == true)
        #expect(try options { $0.requestIDPrefix = "run-" }.requestIDPrefix == "run-")
    }

    @Test func compatV011InjectsTemperatureZeroAndAReadyCheck() throws {
        let old = try options { $0.compat = .v0_11 }
        #expect(old.compat == .v0_11 && old.readyCheckTimeout == 600)
        #expect(old.extraBody.map(\.key) == ["temperature"] && old.extraBody.first?.value == .double(0))
        let explicit = try options { $0.compat = .v0_11; $0.temperature = 0.7; $0.readyCheckTimeout = 5 }
        #expect(explicit.extraBody.first?.value == .double(0.7) && explicit.readyCheckTimeout == 5)
    }

    @Test func samplingFlagsThenExtraBodyWhichWins() throws {
        let o = try options {
            $0.temperature = 0.5
            $0.topP = 0.9
            $0.topK = 20
            $0.minP = 0.1
            $0.frequencyPenalty = 0.2
            $0.presencePenalty = 0.3
            $0.repetitionPenalty = 1.1
            $0.extraBody = "{\"top_k\": 5, \"foo\": true}"
            $0.logprobs = 2
        }
        #expect(o.extraBody.map(\.key)
            == ["temperature", "top_p", "top_k", "min_p", "frequency_penalty", "presence_penalty", "repetition_penalty", "foo"])
        #expect(o.extraBody.first { $0.key == "top_k" }?.value == .int(5))
        #expect(o.logprobs == 2)
        expectRejected("--extra-body must be a JSON object, got '[1]'") { $0.extraBody = "[1]" }
    }

    @Test func reportingRules() throws {
        let o = try options {
            $0.percentileMetrics = "ttft, e2el,client_queue_time"
            $0.metricPercentiles = "50, 90,99.9"
            $0.goodput = ["ttft:200", "e2el:1000.5"]
            $0.metadata = ["gpu=none", "note=a=b"]
            $0.disableTqdm = true
        }
        #expect(o.percentileMetrics == [.ttft, .e2el, .clientQueueTime])
        #expect(o.metricPercentiles == [50, 90, 99.9])
        #expect(o.goodput == ["ttft": 200, "e2el": 1000.5])
        #expect(o.metadata.map { "\($0.0)|\($0.1)" } == ["gpu|none", "note|a=b"])
        #expect(o.disableProgress)
        expectRejected("--percentile-metrics: unknown metric 'ttfb' (known: ttft, tpot, itl, e2el, client_queue_time, "
                       + "e2el_including_client_queue)") { $0.percentileMetrics = "ttft,ttfb" }
        expectRejected("--metric-percentiles: '101' is not a number in [0, 100]") { $0.metricPercentiles = "50,101" }
        expectRejected("--goodput expects ttft:MS, tpot:MS or e2el:MS, got 'itl:5'") { $0.goodput = ["itl:5"] }
        expectRejected("--goodput expects ttft:MS, tpot:MS or e2el:MS, got 'ttft:-1'") { $0.goodput = ["ttft:-1"] }
        expectRejected("--metadata expects KEY=VALUE, got 'gpu'") { $0.metadata = ["gpu"] }
    }
}
