#if canImport(Glibc)
import Glibc
#endif

/// The arithmetic and clocks the `vlserve bench-*` commands share.
public enum BenchmarkStatistics {
    /// The median of `values` (mean of the middle two for an even count; 0 when empty).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Seconds elapsed on the continuous clock since `start`.
    public static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(ContinuousClock.now - start)
    }

    /// `duration` in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// CPU seconds used by the calling thread (`CLOCK_THREAD_CPUTIME_ID`; 0 where unavailable).
    public static func threadCPUSeconds() -> Double {
        #if canImport(Glibc)
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        #else
        return 0
        #endif
    }

    /// `x` rounded to `places` decimal places (for reports: 4 keeps sub-microsecond detail of milliseconds).
    public static func rounded(_ x: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<max(0, places) { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}
