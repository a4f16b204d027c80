// swift-tools-version:6.0
// Benchmark-only package: the Swift ecosystem's fast path as an anchor for scripts/bench-server.sh.
// A minimal Hummingbird (SwiftNIO) server that decodes the chat request and returns canned
// OpenAI-shaped responses (non-streaming, or 64-token SSE streams). Kept out of the main package so
// `swift test` never builds SwiftNIO.
import PackageDescription

let package = Package(
    name: "CannedServer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "canned-server", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
