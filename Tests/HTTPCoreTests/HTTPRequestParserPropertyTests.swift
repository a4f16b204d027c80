import Testing
@testable import HTTPCore

/// SplitMix64: a small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// A deliberately naive reference for well-formed requests: split the text on CRLF, split fields
/// on the first colon, take the body by Content-Length or by decoding chunks with the standard
/// library. Only used on inputs the generator knows to be valid.
enum NaiveRequestParser {
    struct Parsed: Equatable {
        var method: String
        var target: String
        var fields: [String]
        var body: [UInt8]
    }

    static func parse(_ wire: [UInt8]) -> Parsed? {
        guard let headEnd = find(wire, Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: wire[0..<headEnd], as: UTF8.self).components("\r\n")
        let parts = lines[0].split(separator: " ").map(String.init)
        guard parts.count == 3 else { return nil }
        var fields: [String] = []
        var contentLength = 0
        var chunked = false
        for line in lines.dropFirst() {
            let colon = line.firstIndex(of: ":")!
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingSpaces()
            fields.append(name.lowercased() + "=" + value)
            if name.lowercased() == "content-length" { contentLength = Int(value)! }
            if name.lowercased() == "transfer-encoding" { chunked = true }
        }
        var rest = Array(wire[(headEnd + 4)...])
        var body: [UInt8] = []
        if chunked {
            while true {
                let lineEnd = find(rest, [13, 10])!
                let sizeText = String(decoding: rest[0..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                let size = Int(sizeText, radix: 16)!
                if size == 0 { break }
                body += rest[(lineEnd + 2)..<(lineEnd + 2 + size)]
                rest = Array(rest[(lineEnd + 2 + size + 2)...])
            }
        } else {
            body = Array(rest.prefix(contentLength))
        }
        return Parsed(method: parts[0], target: parts[1], fields: fields, body: body)
    }

    static func find(_ h: [UInt8], _ n: [UInt8]) -> Int? {
        guard h.count >= n.count else { return nil }
        for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { return i }
        return nil
    }
}

extension String {
    func components(_ separator: String) -> [String] {
        var out: [String] = []
        var current = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            current = String(rest[..<r.lowerBound])
            out.append(current)
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }

    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}

@Suite struct HTTPRequestParserPropertyTests {
    static func randomToken(_ rng: inout SplitMix64, _ alphabet: [Character], _ length: ClosedRange<Int>) -> String {
        String((0..<Int.random(in: length, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func randomValidRequest(_ rng: inout SplitMix64) -> [UInt8] {
        let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
        let pathChars = Array("abcdefghijklmnopqrstuvwxyz0123456789-._~/%")
        let nameChars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~")
        let valueChars = Array("abcdefghijklmnopqrstuvwxyz ABC,;=/\"()[]{}:0123456789\t")
        var head = "\(methods.randomElement(using: &rng)!) /\(randomToken(&rng, pathChars, 0...30))"
        if Bool.random(using: &rng) { head += "?\(randomToken(&rng, pathChars, 0...20))" }
        head += " HTTP/1.1\r\nHost: h\r\n"
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            var name = randomToken(&rng, nameChars, 1...20)
            let lower = name.lowercased()
            if ["host", "content-length", "transfer-encoding", "connection", "expect"].contains(lower) { name = "X-" + name }
            var value = randomToken(&rng, valueChars, 0...40)
            value = value.trimmingSpaces()
            head += "\(name):\(Bool.random(using: &rng) ? " " : "")\(value)\r\n"
        }
        let body = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        if Bool.random(using: &rng) {
            head += "Content-Length: \(body.count)\r\n\r\n"
            return Array(head.utf8) + body
        }
        head += "Transfer-Encoding: chunked\r\n\r\n"
        var wire = Array(head.utf8)
        var i = 0
        while i < body.count {
            let n = min(Int.random(in: 1...64, using: &rng), body.count - i)
            wire += Array((String(n, radix: 16) + (Bool.random(using: &rng) ? ";e=1" : "") + "\r\n").utf8)
            wire += body[i..<(i + n)]
            wire += [13, 10]
            i += n
        }
        wire += Array("0\r\n\r\n".utf8)
        return wire
    }

    /// The fast parser agrees with the naive reference on random valid requests, fed in random pieces.
    @Test func agreesWithNaiveReference() throws {
        var rng = SplitMix64(state: 42)
        for _ in 0..<2000 {
            let wire = Self.randomValidRequest(&rng)
            let reference = try #require(NaiveRequestParser.parse(wire))
            var parser = HTTPRequestParser()
            var got: HTTPRequest?
            var i = 0
            while i < wire.count {
                let n = min(Int.random(in: 1...200, using: &rng), wire.count - i)
                parser.feed(Array(wire[i..<(i + n)]))
                i += n
                while let event = try parser.next() {
                    if case .request(let r) = event { got = r }
                }
            }
            let request = try #require(got)
            let fields = request.head.headers.fields.map { $0.name.lowercased() + "=" + $0.value }
            #expect(NaiveRequestParser.Parsed(method: request.head.method, target: request.head.target, fields: fields, body: request.body) == reference)
        }
    }

    /// The most unconsumed bytes a parser with `parser.limits` may hold once `next()` has returned
    /// nil (it wants more input): the unfinished part of one line, at most that line's limit plus a
    /// CR waiting for its LF (request line: the smaller of its limit and the head limit; header field:
    /// what is left of the head limit; chunk-size line; trailer field: what is left of the trailer
    /// limit); the CR of a chunk's CRLF; and nothing of a body, whose bytes move into the body as they
    /// arrive. After an error it holds nothing.
    static func maxHeldBytes(_ parser: HTTPRequestParser) -> Int {
        let limits = parser.limits
        guard parser.failure == nil else { return 0 }
        switch parser.state {
        case .requestLine: return min(limits.maxRequestLineLength, limits.maxHeadSize) + 1
        case .headers: return limits.maxHeadSize - parser.builder.headBytes - 1
        case .chunkSize: return limits.maxChunkLineLength + 1
        case .chunkDataEnd: return 1
        case .trailers: return limits.maxTrailerSize - parser.trailerBytes + 1
        case .body, .chunkData, .complete: return 0
        }
    }

    /// Feeds `wire` in random pieces of 1...`maxPiece` bytes, taking every event after each piece,
    /// and checks after each that the parser holds no more than its limits allow (`maxHeldBytes`) and
    /// its body no more than `maxBodySize`. Returns the most bytes it held at once.
    @discardableResult
    static func feedCheckingBounds(_ wire: [UInt8], limits: HTTPParserLimits, maxPiece: Int, _ rng: inout SplitMix64,
                                   sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var parser = HTTPRequestParser(limits: limits)
        var most = 0
        var i = 0
        while i < wire.count {
            let n = min(Int.random(in: 1...maxPiece, using: &rng), wire.count - i)
            parser.feed(Array(wire[i..<(i + n)]))
            i += n
            do {
                while try parser.next() != nil {}
            } catch {
                #expect((400...505).contains(error.status.code), sourceLocation: sourceLocation)
                #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
            }
            most = max(most, parser.bufferedByteCount)
            #expect(parser.bufferedByteCount <= maxHeldBytes(parser), "state \(parser.state)", sourceLocation: sourceLocation)
            #expect(parser.body.count <= limits.maxBodySize, sourceLocation: sourceLocation)
            if parser.failure != nil { break }
        }
        return most
    }

    /// Random mutations of valid requests never crash: each either parses or throws a typed error
    /// with a 4xx/5xx status; fed in pieces, the parser never holds more than its limits allow.
    @Test func mutatedInputNeverCrashes() {
        var rng = SplitMix64(state: 7)
        let interesting: [UInt8] = [0, 9, 10, 13, 32, 58, 59, 44, 0x7F, 0x80, 0xFF, 0x30, 0x66]
        // Small limits, so that the generated requests (heads up to about 900 bytes, bodies up to
        // 300) cross them and a parser that held more than it may would be caught.
        let limits = HTTPParserLimits(maxRequestLineLength: 64, maxHeadSize: 512, maxBodySize: 256,
                                      maxChunkLineLength: 8, maxTrailerSize: 64)
        for _ in 0..<5000 {
            var wire = Self.randomValidRequest(&rng)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<wire.count, using: &rng)
                switch Int.random(in: 0...3, using: &rng) {
                case 0: wire[at] = interesting.randomElement(using: &rng)!
                case 1: wire.insert(interesting.randomElement(using: &rng)!, at: at)
                case 2: wire.remove(at: at)
                default: wire.insert(contentsOf: wire[at..<min(wire.count, at + 16)], at: at)
                }
                if wire.isEmpty { wire = [0] }
            }
            Self.feedCheckingBounds(wire, limits: limits, maxPiece: 200, &rng)
        }
    }

    /// Requests with one oversized part each (a long request line, header field, chunk-size line,
    /// trailer section or body, or a head made of many short fields), fed in pieces: the parser
    /// holds at most one unfinished line within its limit, whatever arrives, and the generated
    /// input does reach those limits (so holding more would be seen).
    @Test func heldBytesStayWithinTheLimits() {
        var rng = SplitMix64(state: 2026)
        let limits = HTTPParserLimits(maxRequestLineLength: 100, maxHeadSize: 400, maxHeaderCount: 100, maxBodySize: 1000,
                                      maxChunkLineLength: 50, maxTrailerSize: 120)
        func long(_ n: Int) -> String { String(repeating: "a", count: n) }
        var mostHeld = 0
        for _ in 0..<3000 {
            let size = Int.random(in: 0...600, using: &rng)
            let head = "POST /p HTTP/1.1\r\nHost: h\r\n"
            let wire: String
            switch Int.random(in: 0...5, using: &rng) {
            case 0: wire = "GET /" + long(size) + " HTTP/1.1\r\nHost: h\r\n\r\n"
            case 1: wire = head + "X-Long: " + long(size) + "\r\nContent-Length: 0\r\n\r\n"
            case 2: wire = head + String(repeating: "X-F: v\r\n", count: size / 8) + "Content-Length: 0\r\n\r\n"
            case 3: wire = head + "Transfer-Encoding: chunked\r\n\r\n1;e=" + long(size / 8) + "\r\nx\r\n0\r\n\r\n"
            case 4: wire = head + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + String(repeating: "T: " + long(20) + "\r\n", count: size / 80) + "\r\n"
            default: wire = head + "Content-Length: \(size * 2)\r\n\r\n" + long(size * 2)
            }
            mostHeld = max(mostHeld, Self.feedCheckingBounds(Array(wire.utf8), limits: limits, maxPiece: 64, &rng))
        }
        // Lines of up to the 400-byte head limit were held whole: the bound above was tested near its edge.
        #expect(mostHeld > limits.maxHeadSize / 2)
    }
}
