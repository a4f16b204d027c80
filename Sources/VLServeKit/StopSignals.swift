#if canImport(Glibc)
import Glibc
#endif

/// Process signals received with `sigwait(3)` (SIGINT and SIGTERM for `vlserve serve`).
///
/// `install` blocks the signals in the calling thread and resets them to their default action. Call it
/// before any other thread starts: threads inherit the mask, so no thread runs the default action (exit)
/// and every signal stays pending until `waitForStop` takes it. The reset matters because a shell starts
/// background jobs with SIGINT ignored, and an ignored signal is discarded rather than queued.
public struct StopSignals: StopSignalSource {
    /// The signals waited for.
    public let signals: [Int32]

    private init(signals: [Int32]) { self.signals = signals }

    /// Blocks `signals` in the calling thread (and the threads it starts from now on) and restores their
    /// default action; returns the source that waits for them.
    public static func install(_ signals: [Int32] = [SIGINT, SIGTERM]) -> StopSignals {
        let source = StopSignals(signals: signals)
        var set = source.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        for signal in signals { Glibc.signal(signal, SIG_DFL) }
        return source
    }

    /// Waits with `sigwait` for one of `signals`; the calling thread must have them blocked (`install`).
    public func waitForStop() -> Int32 {
        var set = signalSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}   // fails only for an invalid set; keep waiting rather than exit
        return received
    }

    /// `SIGINT`, `SIGTERM`, else `signal N`.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    private func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
