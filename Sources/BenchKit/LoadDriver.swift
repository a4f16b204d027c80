#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Observability
import HTTPCore
import NetIO

/// Sends pre-serialised requests at precomputed offsets and collects their outputs.
///
/// A dispatcher thread sleeps to each absolute send time (`clock_nanosleep` on CLOCK_MONOTONIC) and
/// hands the due requests to the event loop, which applies the `--max-concurrency` gate (arrivals
/// that find it full wait in FIFO order; their wait is the client queue time) and streams the
/// responses. TTFT/E2EL timers start when a request leaves the gate, as upstream.
final class LoadDriver: @unchecked Sendable {
    let client: HTTPClient
    let requests: [[UInt8]]
    let promptLens: [Int]
    let isChat: Bool
    let compat: CompatMode
    let maxConcurrency: Int?
    let requestTimeout: Double

    // Loop-thread state.
    private var outputs: [RequestOutput]
    private var scheduled: [Double]
    private var sendLags: [Double]
    private var inFlight = 0
    private var queue: [(index: Int, arrival: Double)] = []
    private var queueHead = 0
    private var done = 0
    private var startTime = 0.0
    private var continuation: CheckedContinuation<(outputs: [RequestOutput], duration: Double, sendLags: [Double]), Never>?

    // Cross-thread progress counter.
    private let progressLock = NSLock()
    private var _completed = 0
    var completedCount: Int { progressLock.withLock { _completed } }
    /// Highest number of streams in flight at once.
    private(set) var peakInFlight = 0

    init(client: HTTPClient, requests: [[UInt8]], promptLens: [Int], isChat: Bool, compat: CompatMode,
         maxConcurrency: Int?, requestTimeout: Double = 6 * 3600) {
        self.client = client
        self.requests = requests
        self.promptLens = promptLens
        self.isChat = isChat
        self.compat = compat
        self.maxConcurrency = maxConcurrency
        self.requestTimeout = requestTimeout
        outputs = Array(repeating: RequestOutput(), count: requests.count)
        scheduled = Array(repeating: 0, count: requests.count)
        sendLags = Array(repeating: 0, count: requests.count)
    }

    /// Runs the whole load: request i is due at `start + offsets[i]` (monotonic s; `start` defaults to now
    /// and may lie in the future, for `--start-at`). Returns every output in request order, the duration
    /// (start → last completion) and each request's send lag (actual send − scheduled arrival, s; includes
    /// client queueing).
    func run(offsets: [Double], start startAt: Double? = nil) async
        -> (outputs: [RequestOutput], duration: Double, sendLags: [Double]) {
        precondition(offsets.count == requests.count)
        if requests.isEmpty { return ([], 0, []) }
        return await withCheckedContinuation { cont in
            let start = startAt ?? monotonicSeconds()
            client.execute { [self] in
                self.continuation = cont
                self.startTime = start
            }
            let t = Thread { [self] in
                ThreadName.setCurrent("vlbench-dispatch")   // `t.name` alone does not reach the OS on Linux
                self.dispatch(offsets: offsets, start: start)
            }
            t.start()
        }
    }

    private func dispatch(offsets: [Double], start: Double) {
        var i = 0
        let n = offsets.count
        while i < n {
            let due = start + offsets[i]
            sleepUntil(due)
            let now = monotonicSeconds()
            var j = i
            while j < n && start + offsets[j] <= now { j += 1 }
            let batch = i..<j
            client.execute { [self] in
                for k in batch { self.arrive(k, scheduledAt: start + offsets[k]) }
            }
            i = j
        }
    }

    private func sleepUntil(_ t: Double) {
        var ts = timespec(tv_sec: Int(t), tv_nsec: Int((t - Double(Int(t))) * 1e9))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    private func arrive(_ i: Int, scheduledAt t: Double) {
        scheduled[i] = t
        if let c = maxConcurrency, inFlight >= c {
            queue.append((i, t))
        } else {
            start(i, arrival: t)
        }
    }

    private func start(_ i: Int, arrival: Double) {
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
        var rec = StreamRecorder(isChat: isChat, datasetPromptLen: promptLens[i], compat: compat)
        let st = monotonicSeconds()
        rec.start(at: st, queueTime: max(0, st - arrival))
        sendLags[i] = st - scheduled[i]
        let h = StreamingRequestHandler(recorder: rec) { [weak self] out in self?.finished(i, out) }
        if requestTimeout < 6 * 3600 {
            let timeout = requestTimeout
            h.timer = client.loop.schedule(after: .milliseconds(Int(timeout * 1000))) { [weak h] in
                h?.abort("Request timed out after \(timeout) s")
            }
        }
        client.send(serialized: requests[i], handler: h)
    }

    private func finished(_ i: Int, _ out: RequestOutput) {
        outputs[i] = out
        inFlight -= 1
        done += 1
        progressLock.withLock { _completed += 1 }
        if queueHead < queue.count {
            let next = queue[queueHead]
            queueHead += 1
            start(next.index, arrival: next.arrival)
        }
        if done == requests.count, let c = continuation {
            continuation = nil
            let duration = monotonicSeconds() - startTime
            c.resume(returning: (outputs, duration, sendLags))
        }
    }
}

