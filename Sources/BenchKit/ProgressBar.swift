import Foundation
import Observability

/// A tqdm-style progress bar on stderr (`45%|████▌     | 90/200 [00:05<00:06, 16.50it/s]`),
/// redrawn ≤ 10 times per second by its own thread, one tick per finished request.
/// Disabled with `--disable-tqdm` or when stdout or stderr is not a terminal.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    private let read: @Sendable () -> Int
    private let lock = NSLock()
    private var stopped = false
    private let started = Date()

    static func enabled(disabled: Bool) -> Bool {
        !disabled && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }

    init(total: Int, read: @escaping @Sendable () -> Int) {
        self.total = total
        self.read = read
    }

    func start() {
        let t = Thread { [self] in
            ThreadName.setCurrent("vlbench-progress")   // `t.name` alone does not reach the OS on Linux
            while true {
                let s: Bool = lock.withLock { stopped }
                if s { break }
                draw(read())
                usleep(100_000)
            }
        }
        t.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        draw(read())
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(_ n: Int) {
        let elapsed = Date().timeIntervalSince(started)
        let frac = total > 0 ? Double(n) / Double(total) : 1
        let width = 10
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
        let rate = elapsed > 0 ? Double(n) / elapsed : 0
        let remaining = rate > 0 ? Double(total - n) / rate : 0
        let line = String(format: "\r%3d%%|%@| %d/%d [%@<%@, %.2fit/s]", Int(frac * 100), bar, n, total,
                          Self.clock(elapsed), Self.clock(remaining), rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clock(_ s: Double) -> String {
        let t = Int(s)
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%02d:%02d", t / 60, t % 60)
    }
}

/// Writes `s` and a newline to stdout immediately (unbuffered, so lines interleave correctly with
/// the progress bar on stderr and reach pipes at once).
public func printLine(_ s: String) {
    FileHandle.standardOutput.write(Data((s + "\n").utf8))
}
