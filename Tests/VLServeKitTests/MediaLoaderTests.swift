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

    /// `--allowed-local-media-path` escapes, each rejected with the subpath error: a symlink inside the root to a
    /// file outside it, a symlinked directory, `..`, an existing file outside the root, and a sibling directory whose
    /// name starts with the root's. A symlink that stays inside the root is followed.
    @Test func fileURLsCannotEscapeTheAllowedDirectory() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vlserve-escape-\(getpid())")
        try? FileManager.default.removeItem(at: base)
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("root"), outside = base.appendingPathComponent("outside")
        let sibling = base.appendingPathComponent("root-sibling")
        for directory in [root, outside, sibling] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try Data("inside".utf8).write(to: root.appendingPathComponent("cat.png"))
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.png"))
        try Data("secret".utf8).write(to: sibling.appendingPathComponent("secret.png"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("file-link.png").path,
                                                   withDestinationPath: outside.appendingPathComponent("secret.png").path)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("dir-link").path,
                                                   withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("inner-link.png").path,
                                                   withDestinationPath: root.appendingPathComponent("cat.png").path)
        let loader = MediaLoader(options: MediaOptions(allowedLocalMediaPath: root.path))

        #expect(try loader.load("file://" + root.path + "/cat.png", param: "p") == Array("inside".utf8))
        #expect(try loader.load("file://" + root.path + "/inner-link.png", param: "p") == Array("inside".utf8))
        let escapes = [
            root.path + "/file-link.png",                 // symlink to a file outside
            root.path + "/dir-link/secret.png",           // through a symlinked directory
            root.path + "/../outside/secret.png",         // ..
            outside.path + "/secret.png",                 // an existing file outside
            sibling.path + "/secret.png",                 // a directory named like the root plus a suffix
        ]
        for path in escapes {
            do {
                let bytes = try loader.load("file://" + path, param: "messages[0].content[0].image_url.url")
                Issue.record("\(path) was read (\(bytes.count) bytes)")
            } catch {
                #expect(error.status == 400, "\(path)")
                #expect(error.param == "messages[0].content[0].image_url.url", "\(path)")
                #expect(error.message == "The file path \(path) must be a subpath of `--allowed-local-media-path` \(root.path).",
                        "\(path)")
            }
        }
    }
}
