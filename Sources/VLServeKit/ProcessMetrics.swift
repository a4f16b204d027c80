#if canImport(Glibc)
import Glibc
#endif
import Engine
import Foundation
import NetIO
import Observability

/// The `process_*` metrics that vLLM's `/metrics` carries through `prometheus_client`'s default
/// `ProcessCollector` (same names, types and units), read from `/proc/self` at scrape time:
///
/// | metric | type | source |
/// |---|---|---|
/// | `process_virtual_memory_bytes` | gauge | `/proc/self/stat` vsize |
/// | `process_resident_memory_bytes` | gauge | `/proc/self/stat` rss × page size |
/// | `process_start_time_seconds` | gauge | starttime ticks / CLK_TCK + `btime` of `/proc/stat` (Unix seconds) |
/// | `process_cpu_seconds_total` | counter | (utime + stime) / CLK_TCK |
/// | `process_open_fds` | gauge | entries of `/proc/self/fd` |
/// | `process_max_fds` | gauge | soft `RLIMIT_NOFILE` |
///
/// Values are -1 where `/proc` cannot be read (not Linux).
public enum ProcessMetrics {
    /// Registers the six metrics in `registry`.
    public static func register(in registry: MetricsRegistry) {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        // One read of /proc/self/stat serves the three metrics rendered from it in one scrape.
        let recent = RecentStat()
        _ = registry.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.") {
            recent.read().map { $0.virtualBytes } ?? -1
        }
        _ = registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.") {
            recent.read().map { $0.residentPages * pageSize } ?? -1
        }
        let startTime = stat().flatMap { s in bootTime().map { $0 + s.startTicks / ticks } } ?? -1
        _ = registry.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.") {
            startTime
        }
        _ = registry.counter("process_cpu_seconds", help: "Total user and system CPU time spent in seconds.") {
            recent.read().map { ($0.userTicks + $0.systemTicks) / ticks } ?? -1
        }
        _ = registry.gauge("process_open_fds", help: "Number of open file descriptors.") { openDescriptors() }
        _ = registry.gauge("process_max_fds", help: "Maximum number of open file descriptors.") {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
            return Double(limit.rlim_cur)
        }
    }

    /// `stat()`, reused for 100 ms: the readers of one render share a single read.
    final class RecentStat: @unchecked Sendable {
        private let lock = NSLock()
        private var cached: (at: Double, stat: Stat?)?

        func read() -> Stat? {
            let now = ProcessInfo.processInfo.systemUptime
            lock.lock()
            defer { lock.unlock() }
            if let cached, now - cached.at < 0.1 { return cached.stat }
            let fresh = ProcessMetrics.stat()
            cached = (now, fresh)
            return fresh
        }
    }

    /// The fields of `/proc/self/stat` used here (proc(5) field numbers in the comments).
    struct Stat {
        var userTicks: Double      // 14 utime
        var systemTicks: Double    // 15 stime
        var startTicks: Double     // 22 starttime, ticks after boot
        var virtualBytes: Double   // 23 vsize
        var residentPages: Double  // 24 rss
    }

    static func stat() -> Stat? {
        guard let bytes = PosixFile.readAll("/proc/self/stat") else { return nil }
        return parseStat(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses a `/proc/<pid>/stat` line; `comm` (field 2) may hold spaces and parentheses, so the
    /// fields are counted from the last `)`.
    static func parseStat(_ line: String) -> Stat? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state).
        func field(_ number: Int) -> Double? {
            let index = number - 3
            return index < fields.count ? Double(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
              let resident = field(24) else { return nil }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }

    /// `btime` of `/proc/stat`: boot time in Unix seconds.
    static func bootTime() -> Double? {
        guard let bytes = PosixFile.readAll("/proc/stat") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// Open descriptors, not counting the one used to list them.
    static func openDescriptors() -> Double {
        guard let directory = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return Double(count - 1)
    }
}
