import OpenAIAPI
/// What the benchmark needs from one streamed chunk (vllm-bench-compat.md §4.2).
public struct ChunkSummary: Equatable, Sendable {
    /// `choices` is a non-empty array (a token chunk for TTFT/ITL).
    public var hasChoices = false
    /// `choices[0].delta.content` (chat) or `choices[0].text` (completions), when a string.
    public var text: String?
    /// Chat: `choices[0].delta` carries generated output, as vLLM 0.33's `_choice_has_streamed_output`
    /// decides: `content`, `reasoning`, `tool_calls` or `function_call` is truthy (Python truthiness), or
    /// `content` is `""` without a `role` key (a token that decodes to nothing). The opening role-only chunk
    /// (`{"role": "assistant", "content": ""}`) is not output. Completions: any first choice (always true).
    public var hasStreamedOutput = false
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
            if isChat {
                let delta = choices[0]["delta"]
                s.text = delta?["content"]?.stringValue
                if let delta, delta.objectValue != nil {
                    let content = delta["content"]
                    s.hasStreamedOutput = [content, delta["reasoning"], delta["tool_calls"], delta["function_call"]]
                        .contains { $0?.isTruthy == true } || (content == .string("") && delta["role"] == nil)
                }
            } else {
                s.text = choices[0]["text"]?.stringValue
                s.hasStreamedOutput = true
            }
        }
        if let u = j["usage"], u.objectValue != nil {
            s.hasUsage = true
            s.promptTokens = u["prompt_tokens"]?.integralValue
            s.completionTokens = u["completion_tokens"]?.integralValue
        }
        if let e = j["error"], e.objectValue != nil {
            s.errorMessage = e["message"]?.stringValue ?? ""
        }
        return s
    }

    /// Fast path: one pass over the bytes without building a tree; only the content string is
    /// allocated. Returns nil when the payload is not a JSON object `naive` accepts, or is over
    /// 1 MiB (so no `JSONLimits` count or size limit can apply); the caller then uses `naive`.
    public static func fast(_ payload: [UInt8], isChat: Bool) -> ChunkSummary? {
        guard payload.count <= 1 << 20 else { return nil }
        return payload.withUnsafeBufferPointer { buf in
            var sc = ChunkScanner(b: buf)
            return sc.summary(isChat: isChat)
        }
    }
}

/// A minimal JSON scanner for `ChunkSummary.fast`: skips values it does not need, validating as
/// it goes exactly what OpenAIAPI's strict `JSONParser` checks (structure, string escapes and
/// surrogate pairs, UTF-8, RFC 8259 numbers, literals, `JSONLimits.default` depth and number length).
struct ChunkScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    /// Open arrays and objects around `i`.
    var depth = 0
    static let limits = JSONLimits.default

    init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// Enters an array or object; false beyond `limits.maxDepth`.
    mutating func enter() -> Bool {
        depth += 1
        return depth <= Self.limits.maxDepth
    }

    mutating func leave() { depth -= 1 }

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
        var escaped = false, nonASCII = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                i += 1
                if nonASCII, String(validating: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self) == nil {
                    return nil
                }
                return (start, i - 1, escaped)
            }
            if c == 0x5C {
                escaped = true
                guard i + 1 < b.count else { return nil }
                switch b[i + 1] {
                case 0x22, 0x5C, 0x2F, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let unit = hex4(at: i + 2) else { return nil }
                    i += 6
                    if unit >= 0xDC00 && unit <= 0xDFFF { return nil }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        guard i + 1 < b.count, b[i] == 0x5C, b[i + 1] == UInt8(ascii: "u"), let low = hex4(at: i + 2),
                              low >= 0xDC00 && low <= 0xDFFF else { return nil }
                        i += 6
                    }
                default:
                    return nil
                }
                continue
            }
            if c < 0x20 { return nil }
            if c >= 0x80 { nonASCII = true }
            i += 1
        }
        return nil
    }

    /// The UTF-16 unit of the 4 hex digits at `p`, or nil.
    func hex4(at p: Int) -> UInt16? {
        guard p + 4 <= b.count else { return nil }
        var v: UInt16 = 0
        for k in 0..<4 {
            let h = b[p + k]
            let d: UInt8
            switch h {
            case 0x30...0x39: d = h - 0x30
            case 0x41...0x46: d = h - 0x41 + 10
            case 0x61...0x66: d = h - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    func equals(_ k: (start: Int, end: Int, escaped: Bool), _ lit: StaticString) -> Bool {
        guard !k.escaped, k.end - k.start == lit.utf8CodeUnitCount else { return false }
        let p = lit.utf8Start
        for n in 0..<(k.end - k.start) where b[k.start + n] != p[n] { return false }
        return true
    }

    /// Skips any value; false if malformed.
    mutating func skipValue() -> Bool {
        ws()
        guard i < b.count else { return false }
        switch b[i] {
        case 0x22: return key() != nil
        case 0x7B: return object { sc, _, ok in ok = sc.skipValue() }
        case 0x5B: return array { sc, _ in sc.skipValue() }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case 0x2D, 0x30...0x39:
            // RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
            let s = i
            if b[i] == 0x2D { i += 1 }
            guard i < b.count else { return false }
            if b[i] == 0x30 { i += 1 } else if !digits() { return false }
            if i < b.count, b[i] == 0x2E {
                i += 1
                guard digits() else { return false }
            }
            if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
                i += 1
                if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                guard digits() else { return false }
            }
            return i - s <= Self.limits.maxNumberBytes
        default:
            return false
        }
    }

    /// Skips one or more ASCII digits; false if there is none.
    mutating func digits() -> Bool {
        let s = i
        while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        return i > s
    }

    mutating func literal(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        for k in 0..<n where b[i + k] != s.utf8Start[k] { return false }
        i += n
        return true
    }

    /// A string value (decoded via `JSONParser` when it has escapes), or nil if the value is not a string
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
        guard eat(0x7B), enter() else { return nil }
        if eat(0x7D) { ws(); return i == b.count ? out : nil }
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
                        if sc.equals(key, "message") { out.errorMessage = sc.stringValue(&ok) ?? "" }
                        else { ok = sc.skipValue() }
                    }) else { return nil }
                } else if !skipValue() { return nil }
            } else if equals(k, "choices") || equals(k, "usage") || equals(k, "error") {
                return nil // duplicate keys: let the reference decide
            } else if !skipValue() {
                return nil
            }
            if eat(0x2C) { continue }
            guard eat(0x7D) else { return nil }
            ws()
            return i == b.count ? out : nil
        }
    }

    /// Walks an object, calling `field` for each key with the scanner positioned at the value.
    mutating func object(_ field: (inout ChunkScanner, (start: Int, end: Int, escaped: Bool), inout Bool) -> Void) -> Bool {
        guard eat(0x7B), enter() else { return false }
        defer { leave() }
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

    /// Walks an array, calling `element` with the scanner at each element and its index.
    mutating func array(_ element: (inout ChunkScanner, Int) -> Bool) -> Bool {
        guard eat(0x5B), enter() else { return false }
        defer { leave() }
        if eat(0x5D) { return true }
        var index = 0
        while true {
            guard element(&self, index) else { return false }
            index += 1
            if eat(0x2C) { continue }
            return eat(0x5D)
        }
    }

    /// Python truthiness of the JSON value in `b[start..<i]` (just skipped): `null`, `false`, `0`, `""`, `[]`
    /// and `{}` are false. Nil when a number cannot be read (the caller then defers to the reference).
    func truthy(from start: Int) -> Bool? {
        var lo = start, hi = i
        func space(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        while lo < hi, space(b[lo]) { lo += 1 }
        while hi > lo, space(b[hi - 1]) { hi -= 1 }
        guard lo < hi else { return nil }
        switch b[lo] {
        case UInt8(ascii: "n"), UInt8(ascii: "f"): return false
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "\""): return hi - lo > 2
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var k = lo + 1
            while k < hi - 1, space(b[k]) { k += 1 }
            return k < hi - 1
        default:
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
            return Double(text).map { $0 != 0 }
        }
    }

    mutating func choices(_ out: inout ChunkSummary, isChat: Bool) -> Bool {
        guard i < b.count else { return false }
        guard b[i] == 0x5B else { return skipValue() }
        return array { sc, index in
            guard index == 0 else { return sc.skipValue() }
            out.hasChoices = true
            out.hasStreamedOutput = !isChat
            return sc.firstChoice(&out, isChat: isChat)
        }
    }

    /// The first element of `choices`: `delta.content` (chat) or `text` when it is an object.
    mutating func firstChoice(_ out: inout ChunkSummary, isChat: Bool) -> Bool {
        ws()
        guard i < b.count else { return false }
        if b[i] == 0x7B {
            var text: String?
            var output = !isChat
            let good = object({ sc, key, ok in
                if isChat && sc.equals(key, "delta") {
                    // A repeated key: the last one counts, as in `JSONValue[key]` (and Python's json.loads).
                    text = nil
                    output = false
                    sc.ws()
                    if sc.i < sc.b.count, sc.b[sc.i] == 0x7B {
                        // Truthiness of content, reasoning, tool_calls, function_call (last occurrence each).
                        var truthy: [Bool] = [false, false, false, false]
                        var emptyContent = false, role = false
                        ok = sc.object({ sc2, key2, ok2 in
                            let start = sc2.i
                            if sc2.equals(key2, "content") {
                                text = sc2.stringValue(&ok2)
                                guard ok2, let t = sc2.truthy(from: start) else { ok2 = false; return }
                                truthy[0] = t
                                emptyContent = text == ""
                            } else if let slot = sc2.equals(key2, "reasoning") ? 1 : sc2.equals(key2, "tool_calls") ? 2
                                        : sc2.equals(key2, "function_call") ? 3 : nil {
                                ok2 = sc2.skipValue()
                                guard ok2, let t = sc2.truthy(from: start) else { ok2 = false; return }
                                truthy[slot] = t
                            } else {
                                if sc2.equals(key2, "role") { role = true }
                                ok2 = sc2.skipValue()
                            }
                        })
                        output = truthy.contains(true) || (emptyContent && !role)
                    } else { ok = sc.skipValue() }
                } else if !isChat && sc.equals(key, "text") {
                    text = sc.stringValue(&ok)
                } else {
                    ok = sc.skipValue()
                }
            })
            guard good else { return false }
            out.text = text
            out.hasStreamedOutput = output
            return true
        }
        return skipValue()
    }
}
