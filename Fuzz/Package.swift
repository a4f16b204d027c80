// swift-tools-version:6.0
// libFuzzer targets for VLServe's parsers (issue 5). Built only by scripts/fuzz.sh with
// `swift build --sanitize=fuzzer --sanitize=address`; never part of `swift test`.
import PackageDescription

let fuzzerSettings: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "VLServeFuzz",
    dependencies: [.package(name: "VLServe", path: "..")],
    targets: [
        .executableTarget(name: "FuzzHTTPRequestParser",
                          dependencies: [.product(name: "HTTPCore", package: "VLServe")],
                          swiftSettings: fuzzerSettings),
        .executableTarget(name: "FuzzChatRequest",
                          dependencies: [.product(name: "OpenAIAPI", package: "VLServe")],
                          swiftSettings: fuzzerSettings),
        .executableTarget(name: "FuzzJPEGDecoder",
                          dependencies: [.product(name: "ImageCodecs", package: "VLServe")],
                          swiftSettings: fuzzerSettings),
        .executableTarget(name: "FuzzPNGDecoder",
                          dependencies: [.product(name: "ImageCodecs", package: "VLServe")],
                          swiftSettings: fuzzerSettings),
    ]
)
