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

    /// Random mutations of valid requests never crash: each either parses or throws a typed error
    /// with a 4xx/5xx status, and the parser's buffer never exceeds the head limit plus one read.
    @Test func mutatedInputNeverCrashes() {
        var rng = SplitMix64(state: 7)
        let interesting: [UInt8] = [0, 9, 10, 13, 32, 58, 59, 44, 0x7F, 0x80, 0xFF, 0x30, 0x66]
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
            var parser = HTTPRequestParser(limits: HTTPParserLimits(maxHeadSize: 4096, maxBodySize: 4096))
            parser.feed(wire)
            do {
                while try parser.next() != nil {}
                #expect(parser.bufferedByteCount <= wire.count)
            } catch {
                #expect((400...505).contains(error.status.code))
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
