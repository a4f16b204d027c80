#if canImport(Glibc)
import Glibc
#endif

/// glibc's `getrandom(2)` wrapper (`<sys/random.h>` is not in the Glibc module map).
@_silgen_name("getrandom") private func sys_getrandom(_ buffer: UnsafeMutableRawPointer?, _ length: Int, _ flags: UInt32) -> Int

/// Response ids in vLLM's shape: `chatcmpl-<32 hex>`, `cmpl-<32 hex>` (random 128 bits, like a uuid4 hex),
/// or the prefix plus a client-supplied id (`X-Request-Id` header or `request_id` field).
public enum RequestID {
    /// "chatcmpl-" + 32 random hex digits, or "chatcmpl-" + `clientID`.
    public static func chat(_ clientID: String? = nil) -> String { "chatcmpl-" + (clientID ?? randomHex()) }
    /// "cmpl-" + 32 random hex digits, or "cmpl-" + `clientID`.
    public static func completion(_ clientID: String? = nil) -> String { "cmpl-" + (clientID ?? randomHex()) }
    /// "modelperm-" + 32 random hex digits.
    public static func modelPermission() -> String { "modelperm-" + randomHex() }

    /// 32 lowercase hex digits: 16 bytes from one `getrandom(2)` call (the system random generator,
    /// which `SystemRandomNumberGenerator` also reads, but 8 bytes per call).
    public static func randomHex() -> String {
        var bytes: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &bytes) { fillRandom($0) }
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: &bytes) { raw in
            String(unsafeUninitializedCapacity: 32) { buf in
                for i in 0..<16 {
                    buf[2 * i] = digits.utf8Start[Int(raw[i] >> 4)]
                    buf[2 * i + 1] = digits.utf8Start[Int(raw[i] & 0xF)]
                }
                return 32
            }
        }
    }

    /// Fills `buffer` from `getrandom(2)`; requests of up to 256 bytes are served whole in one call once
    /// the pool is initialised. Retries after EINTR; falls back to `SystemRandomNumberGenerator` if the
    /// call is unavailable.
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count {
            let n = sys_getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
            if n > 0 {
                filled += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                var g = SystemRandomNumberGenerator()
                for i in filled..<buffer.count { buffer[i] = g.next() }
                return
            }
        }
    }
}
