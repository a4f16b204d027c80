import Foundation
import HTTPCore
import NetIO
import OpenAIAPI
import TextCore

/// Errors that stop a run before or instead of the benchmark.
public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Runs one benchmark the way `vllm bench serve` does (vllm-bench-compat.md §1).
public enum BenchmarkRunner {
    /// - Parameter log: receives stdout lines (without newline).
    public static func run(_ o: BenchmarkOptions, log: @escaping @Sendable (String) -> Void = { printLine($0) }) async throws -> BenchmarkRunResult {
        let address: ClientAddress
        do { address = try ClientAddress.resolve(host: o.endpoint.host, port: o.endpoint.port) } catch {
            throw BenchmarkError("\(error)")
        }
        // A --start-at already past is refused before the dataset is built, and again when the run is ready.
        if let at = o.startAt { _ = try RunStart.at(at) }
        raiseFileDescriptorLimit()
        let loop = try EventLoop(name: "vlbench-client")
        loop.start()
        defer { loop.shutdown() }
        let client = HTTPClient(loop: loop, address: address, maxConnections: o.maxConcurrency ?? 0)
        let api = ServerAPI(client: client, endpoint: o.endpoint, apiKey: o.apiKey, headers: o.headers)

        // Model name and tokenizer id.
        // Without --model, as vLLM 0.33.0's `get_first_model_from_server`: requests name the first model's `id`,
        // and its `root` is the result's `model_id` (and the default tokenizer); v0.11 used the `id` for both
        // (the tokenizer still defaults to the root).
        var modelID = o.model ?? ""
        var servedName = o.servedModelName ?? modelID
        var tokenizerID = o.tokenizerID ?? o.model ?? ""
        if o.model == nil {
            let (id, root) = try await api.firstModel()
            modelID = o.compat.isModern ? root ?? id : id
            servedName = o.compat.isModern ? id : o.servedModelName ?? id
            if o.tokenizerID == nil { tokenizerID = root ?? id }
        }

        // Dataset, tokenised with the model's tokenizer.json when the tokenizer id is a local directory that has one.
        let tokenizer = try TextTokenizer.local(tokenizerID)
        log("Tokenizer: \(tokenizer.summary)")
        var rng = SeededRandom(seed: o.seed)
        var samples: [SampleRequest]
        switch o.dataset {
        case .random(var d):
            d.requestIDPrefix = o.requestIDPrefix
            samples = try d.sample(count: o.numPrompts, tokenizer: tokenizer, rng: &rng)
        case .randomMM(var d):
            guard o.backend.isChat else { throw BenchmarkError("--dataset-name random-mm requires --backend openai-chat") }
            d.text.requestIDPrefix = o.requestIDPrefix
            samples = try d.sample(count: o.numPrompts, tokenizer: tokenizer, rng: &rng, encodeJPEG: o.jpegEncoder)
        case let .shareGPT(path, outLen, shuffle, oversample):
            samples = try FileDatasets.shareGPT(path: path, count: o.numPrompts, fixedOutputLen: outLen, shuffle: shuffle,
                                                oversample: oversample, requestIDPrefix: o.requestIDPrefix,
                                                countTokens: tokenizer.tokenCount, rng: &rng)
        case let .custom(path, outLen, shuffle):
            samples = try FileDatasets.customJSONL(path: path, count: o.numPrompts, defaultOutputLen: outLen, shuffle: shuffle,
                                                   requestIDPrefix: o.requestIDPrefix, countTokens: tokenizer.tokenCount, rng: &rng)
        }
        guard !samples.isEmpty else { throw BenchmarkError("the dataset produced no requests (--num-prompts \(o.numPrompts))") }

        // Every shard builds the whole seeded dataset, then keeps its share (dataset indices k % N == i − 1).
        let total = samples.count
        let shard = o.shard ?? .whole
        let fingerprint = RunDetail.fingerprint(samples)
        let probe = samples[0]
        if shard.count > 1 {
            guard shard.count <= total else {
                throw BenchmarkError("--shard \(shard): the dataset has only \(total) requests for \(shard.count) shards")
            }
            samples = shard.indices(total: total).map { samples[$0] }
            log("Shard \(shard): \(samples.count) of \(total) requests (dataset indices k with k % \(shard.count) == \(shard.index)), "
                + "sent at the whole schedule's offsets.")
            if !o.saveDetailed || !(o.saveResult || o.appendResult) {
                log("WARNING: without --save-result --save-detailed this shard's result cannot be merged (vlbench merge).")
            }
        }

        // Random prompts cut to the intended length in the server's tokens (latest upstream).
        switch o.dataset {
        case .random, .randomMM:
            if let fitted = await api.fitRandomPrompts(samples, probe: shard.count > 1 ? probe : nil, model: servedName) {
                samples = fitted
            }
        default: break
        }
        // Prompt lengths from the server's tokenizer when it has /tokenize.
        if let counts = await api.tokenCounts(samples.map(\.prompt), model: servedName) {
            for i in samples.indices { samples[i].promptLen = counts[i] }
        } else {
            log("Server has no /tokenize; counting prompt tokens with vlbench's tokenizer.")
        }

        // Request bytes, built once before the clock starts.
        let builder = RequestBuilder(backend: o.backend, model: servedName, ignoreEOS: o.effectiveIgnoreEOS,
                                     extraBody: o.extraBody, logprobs: o.logprobs)
        // Images are dropped from the samples as their requests are serialised, so a random-mm run
        // holds each (incompressible, ~1 MB) data URL once.
        var wire: [[UInt8]] = []
        wire.reserveCapacity(samples.count)
        for i in samples.indices {
            let s = samples[i]
            wire.append(api.request(path: o.endpointPath, body: builder.bodyBytes(s), requestID: s.requestID)
                .serialize(host: client.hostHeader))
            samples[i].imageURLs = []
        }
        let promptLens = samples.map(\.promptLen)
        if o.extraBody.first(where: { $0.0 == "temperature" }) == nil {
            log("WARNING: --temperature is not set; the server's default sampling applies.")
        }

        // Ready check.
        log("Starting initial single prompt test run...")
        if o.readyCheckTimeout > 0 {
            log("Waiting for endpoint to become up in \(Int(o.readyCheckTimeout)) seconds")
            let deadline = Date().addingTimeInterval(o.readyCheckTimeout)
            var last = ""
            while true {
                let d = LoadDriver(client: client, requests: [wire[0]], promptLens: [promptLens[0]], isChat: o.backend.isChat,
                                   compat: o.compat, maxConcurrency: nil)
                let out = await d.run(offsets: [0]).outputs[0]
                if out.success { break }
                last = out.error
                if Date() >= deadline {
                    throw BenchmarkError("Initial test run failed - Please make sure benchmark arguments are correctly specified. Error: \(last)")
                }
                try await Task.sleep(nanoseconds: 5_000_000_000)
            }
            log("Initial test run completed.")
        } else {
            log("Skipping endpoint ready check.")
        }

        if o.numWarmups > 0 {
            log("Warming up with \(o.numWarmups) requests...")
            let d = LoadDriver(client: client, requests: Array(repeating: wire[0], count: o.numWarmups),
                               promptLens: Array(repeating: promptLens[0], count: o.numWarmups), isChat: o.backend.isChat,
                               compat: o.compat, maxConcurrency: o.maxConcurrency)
            _ = await d.run(offsets: Array(repeating: 0, count: o.numWarmups))
            log("Warmup run completed.")
        }

        let before = await api.metrics()

        // Traffic.
        // numpy's global legacy generator seeded with --seed: the gaps vllm bench serve draws.
        var scheduleRNG = NumpyLegacyRandom(seed: UInt32(truncatingIfNeeded: o.seed))
        let schedule: ArrivalSchedule
        do {
            schedule = try ArrivalSchedule(count: total, requestRate: o.requestRate, burstiness: o.burstiness,
                                           rampUp: o.rampUp, rng: &scheduleRNG)
        } catch { throw BenchmarkError(error.description) }
        let share = schedule.share(shard)
        if let r = o.rampUp {
            log("Traffic ramp-up strategy: \(r.strategy.rawValue). Will increase RPS from \(Int(r.startRPS)) to \(Int(r.endRPS)) RPS over the duration of the benchmark.")
        } else {
            log("Traffic request rate: \(o.requestRate.isFinite ? PythonJSON.repr(o.requestRate) : "inf")")
        }
        log("Burstiness factor: \(PythonJSON.repr(o.burstiness)) (\(o.burstiness == 1 ? "Poisson process" : "Gamma distribution"))")
        log("Maximum request concurrency: \(o.maxConcurrency.map(String.init) ?? "None")")
        let driver = LoadDriver(client: client, requests: wire, promptLens: promptLens, isChat: o.backend.isChat,
                                compat: o.compat, maxConcurrency: o.maxConcurrency, requestTimeout: o.requestTimeout)
        let start: RunStart
        if let at = o.startAt {
            start = try RunStart.at(at)
            let iso = ISO8601DateFormatter()
            log("Waiting \(String(format: "%.3f", at - Date().timeIntervalSince1970)) s for --start-at \(PythonJSON.repr(at)) "
                + "(\(iso.string(from: Date(timeIntervalSince1970: at))))...")
        } else {
            start = RunStart.now()
        }
        log("Starting main benchmark run...")
        var bar: ProgressBar?
        if ProgressBar.enabled(disabled: o.disableProgress) {
            bar = ProgressBar(total: wire.count, read: { driver.completedCount })
            bar?.start()
        }
        let cpu0 = processCPUSeconds()
        let run = await driver.run(offsets: share.offsets, start: start.monotonic)
        let cpu1 = processCPUSeconds()
        bar?.stop()
        let after = await api.metrics()

        let metrics = BenchmarkMetrics(outputs: run.outputs, duration: run.duration, percentiles: o.metricPercentiles,
                                       goodput: o.goodput, compat: o.compat, countTokens: tokenizer.tokenCount)
        for line in ResultTable.failureLines(run.outputs) { log(line) }
        for line in ResultTable.lines(metrics: metrics, duration: run.duration, options: o) { log(line) }

        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let rpsEvents = o.rampUp == nil ? [] : schedule.rpsChanges().map {
            ($0.rps, iso.string(from: Date(timeIntervalSince1970: start.unix + schedule.offsets[$0.index])))
        }
        let detail = RunDetail(shard: shard, seed: o.seed, datasetName: o.dataset.name, datasetFingerprint: fingerprint,
                               compat: o.compat, goodput: o.goodput, start: start, requestIndices: share.indices)
        let date = ResultFile.timestamp()
        let result = ResultFile.build(options: o, modelID: modelID, tokenizerID: tokenizerID, date: date, outputs: run.outputs,
                                      metrics: metrics, duration: run.duration, rpsChangeEvents: rpsEvents, detailed: o.saveDetailed,
                                      runDetail: detail)
        var path: String?
        if o.saveResult || o.appendResult {
            let name = o.resultFilename ?? ResultFile.defaultFilename(options: o, modelID: modelID, date: date)
            path = try ResultFile.write(result, dir: o.resultDir, filename: name, append: o.appendResult)
        }
        client.execute { client.closeAll() }
        return BenchmarkRunResult(modelID: modelID, outputs: run.outputs, metrics: metrics, duration: run.duration, result: result,
                                  resultPath: path, sendLags: run.sendLags, peakInFlight: driver.peakInFlight,
                                  clientCPUSeconds: cpu1 - cpu0,
                                  chunksReceived: run.outputs.reduce(0) { $0 + ($1.success ? $1.itl.count + 1 : 0) },
                                  serverMetricsBefore: before, serverMetricsAfter: after, runDetail: detail)
    }
}

/// User + system CPU time of this process (getrusage), seconds.
public func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

/// Peak resident memory of this process so far (getrusage `ru_maxrss`, which Linux reports in KiB), bytes.
public func processPeakResidentBytes() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.ru_maxrss * 1024
}

/// Raises the soft RLIMIT_NOFILE to the hard limit so one process can hold thousands of streams.
public func raiseFileDescriptorLimit() {
    var r = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &r) == 0, r.rlim_cur < r.rlim_max else { return }
    r.rlim_cur = r.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &r)
}
