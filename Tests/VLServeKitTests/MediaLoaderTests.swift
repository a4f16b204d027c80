import Foundation
import OpenAIAPI
import Testing
@testable import VLServeKit

@Suite struct MediaLoaderTests {
    @Test func base64ToleratesWhitespaceAndMissingPadding() {
        #expect(MediaLoader.decodeBase64(Array("aGVsbG8=".utf8)) == Array("hello".utf8))
        #expect(MediaLoader.decodeBase64(Array("aGVs\nbG8".utf8)) == Array("hello".utf8))
        #expect(MediaLoader.decodeBase64(Array("aGVsbG8h".utf8)) == Array("hello!".utf8))
        #expect(MediaLoader.decodeBase64(Array("a".utf8)) == nil)
        #expect(MediaLoader.decodeBase64(Array("aG*s".utf8)) == nil)
        #expect(MediaLoader.decodeBase64(Array("aG=s".utf8)) == nil)
    }

    @Test func dataURLRules() throws {
        let loader = MediaLoader(options: MediaOptions(maxMediaBytes: 8))
        #expect(try loader.load("DATA:image/png;base64,aGVsbG8=", param: "p") == Array("hello".utf8))
        #expect(throws: APIError.self) { try loader.load("data:image/png;base64", param: "p") }
        do {
            _ = try loader.load("data:image/png,rawbytes", param: "p")
            Issue.record("expected 501")
        } catch { #expect(error.status == 501) }
        do {
            _ = try loader.load("data:text/plain;base64,aGVsbG8=", param: "p")
            Issue.record("expected 400")
        } catch { #expect(error.status == 400 && error.param == "p") }
        do {
            _ = try loader.load("data:image/png;base64," + String(repeating: "A", count: 64), param: "p")
            Issue.record("expected a size error")
        } catch { #expect(error.message.contains("larger")) }
    }

    @Test func parsesHTTPURLs() {
        #expect(MediaLoader.parseHTTPURL("http://Example.com/a/b.png?x=1#f")! == ("example.com", 80, "/a/b.png?x=1"))
        #expect(MediaLoader.parseHTTPURL("http://localhost:8080")! == ("localhost", 8080, "/"))
        #expect(MediaLoader.parseHTTPURL("http://[::1]:9000/x")! == ("::1", 9000, "/x"))
        #expect(MediaLoader.parseHTTPURL("http://host:notaport/") == nil)
    }

    @Test func fileURLsStayUnderTheAllowedDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vlserve-media-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cat.png")
        try Data("png!".utf8).write(to: file)
        let loader = MediaLoader(options: MediaOptions(allowedLocalMediaPath: directory.path))
        #expect(try loader.load("file://" + file.path, param: "p") == Array("png!".utf8))
        do {
            _ = try loader.load("file://" + directory.path + "/../" + directory.lastPathComponent + "x/cat.png", param: "p")
            Issue.record("expected an error")
        } catch { #expect(error.status == 400) }
        do {
            _ = try loader.load("file:///etc/hostname", param: "p")
            Issue.record("expected an error")
        } catch { #expect(error.message.contains("subpath") || error.message.contains("does not exist")) }
    }
}
