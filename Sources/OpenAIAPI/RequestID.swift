/// Response ids in vLLM's shape: `chatcmpl-<32 hex>`, `cmpl-<32 hex>` (random 128 bits, like a uuid4 hex),
/// or the prefix plus a client-supplied id (`X-Request-Id` header or `request_id` field).
public enum RequestID {
    /// "chatcmpl-" + 32 random hex digits, or "chatcmpl-" + `clientID`.
    public static func chat(_ clientID: String? = nil) -> String { "chatcmpl-" + (clientID ?? randomHex()) }
    /// "cmpl-" + 32 random hex digits, or "cmpl-" + `clientID`.
    public static func completion(_ clientID: String? = nil) -> String { "cmpl-" + (clientID ?? randomHex()) }
    /// "modelperm-" + 32 random hex digits.
    public static func modelPermission() -> String { "modelperm-" + randomHex() }

    /// 32 lowercase hex digits from the system random generator.
    public static func randomHex() -> String {
        var g = SystemRandomNumberGenerator()
        let hi = g.next() as UInt64
        let lo = g.next() as UInt64
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 32) { buf in
            for i in 0..<16 {
                buf[i] = digits.utf8Start[Int((hi >> UInt64(60 - 4 * i)) & 0xF)]
                buf[16 + i] = digits.utf8Start[Int((lo >> UInt64(60 - 4 * i)) & 0xF)]
            }
            return 32
        }
    }
}
