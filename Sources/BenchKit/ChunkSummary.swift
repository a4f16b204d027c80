/// What the benchmark needs from one streamed chunk (vllm-bench-compat.md §4.2).
public struct ChunkSummary: Equatable, Sendable {
    /// `choices` is a non-empty array (a token chunk for TTFT/ITL).
    public var hasChoices = false
    /// `choices[0].delta.content` (chat) or `choices[0].text` (completions), when a string.
    public var text: String?
    /// An object-valued `usage` was present.
    public var hasUsage = false
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// `error.message` of an in-band error event (or "" when the error has no message).
    public var errorMessage: String?

    public init() {}

    /// Reference implementation: full parse with `JSONParser`. Throws on invalid JSON.
    public static func naive(_ payload: [UInt8], isChat: Bool) throws(JSONParseError) -> ChunkSummary {
        let j = try JSONParser.parse(payload)
        var s = ChunkSummary()
        if let choices = j["choices"]?.arrayValue, !choices.isEmpty {
            s.hasChoices = true
            s.text = isChat ? choices[0]["delta"]?["content"]?.stringValue : choices[0]["text"]?.stringValue
        }
        if let u = j["usage"], u.objectValue != nil {
            s.hasUsage = true
            s.promptTokens = u["prompt_tokens"]?.intValue
            s.completionTokens = u["completion_tokens"]?.intValue
        }
        if let e = j["error"], e.objectValue != nil {
            s.errorMessage = e["message"]?.stringValue ?? ""
        }
        return s
    }

    /// Fast path: one pass over the bytes without building a tree; only the content string is
    /// allocated. Returns nil when the payload is not a well-formed JSON object (the caller then
    /// uses `naive` to get the error).
    public static func fast(_ payload: [UInt8], isChat: Bool) -> ChunkSummary? {
        payload.withUnsafeBufferPointer { buf in
            var sc = ChunkScanner(b: buf)
            return sc.summary(isChat: isChat)
        }
    }
}

/// A minimal JSON scanner for `ChunkSummary.fast`: skips values it does not need, validating
/// structure as it goes (string escapes, nesting, literals and numbers).
struct ChunkScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0

    init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    mutating func ws() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }

    mutating func eat(_ c: UInt8) -> Bool {
        ws()
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }

    /// Compares the key string at `i` (after its opening quote) with `lit` and skips it.
    mutating func key() -> (start: Int, end: Int, escaped: Bool)? {
        ws()
        guard i < b.count, b[i] == 0x22 else { return nil }
        i += 1
        let start = i
        var escaped = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 { i += 1; return (start, i - 1, escaped) }
            if c == 0x5C {
                escaped = true
                guard i + 1 < b.count else { return nil }
                switch b[i + 1] {
                case 0x22, 0x5C, 0x2F, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 5 < b.count else { return nil }
                    for k in 2...5 {
                        let h = b[i + k]
                        guard (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66) else { return nil }
                    }
                    i += 6
                default:
                    return nil
                }
                continue
            }
            if c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    func equals(_ k: (start: Int, end: Int, escaped: Bool), _ lit: StaticString) -> Bool {
        guard !k.escaped, k.end - k.start == lit.utf8CodeUnitCount else { return false }
        let p = lit.utf8Start
        for n in 0..<(k.end - k.start) where b[k.start + n] != p[n] { return false }
        return true
    }

    /// Skips any value; false if malformed.
    mutating func skipValue(depth: Int = 0) -> Bool {
        ws()
        guard i < b.count, depth < 512 else { return false }
        switch b[i] {
        case 0x22: return key() != nil
        case 0x7B:
            i += 1
            if eat(0x7D) { return true }
            while true {
                guard key() != nil, eat(0x3A), skipValue(depth: depth + 1) else { return false }
                if eat(0x2C) { continue }
                return eat(0x7D)
            }
        case 0x5B:
            i += 1
            if eat(0x5D) { return true }
            while true {
                guard skipValue(depth: depth + 1) else { return false }
                if eat(0x2C) { continue }
                return eat(0x5D)
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case 0x2D, 0x30...0x39:
            // Same acceptance as JSONParser.number: a run of number characters that Int or Double parses.
            let s = i
            var plain = true
            i += 1
            while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 {
                if b[i] < 0x30 { plain = false } else if b[i] > 0x39 { plain = false }
                i += 1
            }
            if plain && i - s < 19 && !(b[s] == 0x2D && i - s == 1) { return true }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self)
            return Int(text) != nil || Double(text) != nil
        default:
            return false
        }
    }

    mutating func literal(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        for k in 0..<n where b[i + k] != s.utf8Start[k] { return false }
        i += n
        return true
    }

    /// A string value (decoded via JSONParser when it has escapes), or nil if the value is not a string
    /// (the value is skipped either way); `ok` false when malformed.
    mutating func stringValue(_ ok: inout Bool) -> String? {
        ws()
        guard i < b.count else { ok = false; return nil }
        guard b[i] == 0x22 else { ok = skipValue(); return nil }
        let s = i
        guard let k = key() else { ok = false; return nil }
        if !k.escaped { return String(decoding: UnsafeBufferPointer(rebasing: b[k.start..<k.end]), as: UTF8.self) }
        guard let v = try? JSONParser.parse(Array(b[s..<i])) else { ok = false; return nil }
        return v.stringValue
    }

    mutating func intValue(_ ok: inout Bool) -> Int? {
        ws()
        let s = i
        guard skipValue() else { ok = false; return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self)
        if let v = Int(text) { return v }
        if let d = Double(text), d.rounded() == d, abs(d) < 9e18 { return Int(d) }
        return nil
    }

    mutating func summary(isChat: Bool) -> ChunkSummary? {
        var out = ChunkSummary()
        guard eat(0x7B) else { return nil }
        if eat(0x7D) { ws(); return i == b.count ? out : nil }
        var ok = true
        var seenChoices = false, seenUsage = false, seenError = false
        while true {
            guard let k = key(), eat(0x3A) else { return nil }
            ws()
            if equals(k, "choices") && !seenChoices {
                seenChoices = true
                guard choices(&out, isChat: isChat) else { return nil }
            } else if equals(k, "usage") && !seenUsage {
                seenUsage = true
                guard i < b.count else { return nil }
                if b[i] == 0x7B {
                    out.hasUsage = true
                    guard object({ sc, key, ok in
                        if sc.equals(key, "prompt_tokens") { out.promptTokens = sc.intValue(&ok) }
                        else if sc.equals(key, "completion_tokens") { out.completionTokens = sc.intValue(&ok) }
                        else { ok = sc.skipValue() }
                    }) else { return nil }
                } else if !skipValue() { return nil }
            } else if equals(k, "error") && !seenError {
                seenError = true
                guard i < b.count else { return nil }
                if b[i] == 0x7B {
                    out.errorMessage = ""
                    guard object({ sc, key, ok in
                        if sc.equals(key, "message") { if let m = sc.stringValue(&ok) { out.errorMessage = m } }
                        else { ok = sc.skipValue() }
                    }) else { return nil }
                } else if !skipValue() { return nil }
            } else if equals(k, "choices") || equals(k, "usage") || equals(k, "error") {
                return nil // duplicate keys: let the reference decide
            } else if !skipValue() {
                return nil
            }
            if !ok { return nil }
            if eat(0x2C) { continue }
            guard eat(0x7D) else { return nil }
            ws()
            return i == b.count ? out : nil
        }
    }

    /// Walks an object, calling `field` for each key with the scanner positioned at the value.
    mutating func object(_ field: (inout ChunkScanner, (start: Int, end: Int, escaped: Bool), inout Bool) -> Void) -> Bool {
        guard eat(0x7B) else { return false }
        if eat(0x7D) { return true }
        while true {
            guard let k = key(), eat(0x3A) else { return false }
            var ok = true
            field(&self, k, &ok)
            if !ok { return false }
            if eat(0x2C) { continue }
            return eat(0x7D)
        }
    }

    mutating func choices(_ out: inout ChunkSummary, isChat: Bool) -> Bool {
        guard i < b.count else { return false }
        guard b[i] == 0x5B else { return skipValue() }
        i += 1
        if eat(0x5D) { return true }
        out.hasChoices = true
        // First element: look for delta.content / text when it is an object.
        ws()
        guard i < b.count else { return false }
        if b[i] == 0x7B {
            var text: String?
            let good = object({ sc, key, ok in
                if isChat && sc.equals(key, "delta") {
                    sc.ws()
                    if sc.i < sc.b.count, sc.b[sc.i] == 0x7B {
                        ok = sc.object({ sc2, key2, ok2 in
                            if sc2.equals(key2, "content") { text = sc2.stringValue(&ok2) } else { ok2 = sc2.skipValue() }
                        })
                    } else { ok = sc.skipValue() }
                } else if !isChat && sc.equals(key, "text") {
                    text = sc.stringValue(&ok)
                } else {
                    ok = sc.skipValue()
                }
            })
            guard good else { return false }
            out.text = text
        } else if !skipValue() {
            return false
        }
        while eat(0x2C) { guard skipValue() else { return false } }
        return eat(0x5D)
    }
}
