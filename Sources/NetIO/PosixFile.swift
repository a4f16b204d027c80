#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads with plain POSIX calls, for small files read often: `/proc` entries (whose size
/// reads as 0) and growing logs. Foundation's `String(contentsOfFile:)` loses a 4 KB buffer per call on
/// this toolchain (LeakSanitizer), which adds up in a poll loop or a metrics scrape.
public enum PosixFile {
    /// The file's bytes, or nil if it cannot be opened or read.
    public static func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[..<n])
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return n == 0 ? bytes : nil
            }
        }
    }
}
