// swift-tools-version:6.0
// VLServe: a Qwen2.5-VL-style vision inference server on raw POSIX sockets, and vlbench.
//
// Layers (one-way dependencies, lowest first):
//   CBLAS, CImageCodecs          system/C shims (OpenBLAS cblas.h; libjpeg-turbo, libspng)
//   CKernels, COneDNN            CPU features, bf16 conversion, SHA-NI SHA-256; oneDNN matmul/convolution with
//                                cached primitives
//   ImageCodecs                  JPEG/PNG decoding to RGB8, JPEG encoding (on CImageCodecs only: no GEMM stack)
//   VisionCore                   Qwen2.5-VL preprocessing, GEMM layer, Conv3d patch embedding, safetensors;
//                                re-exports ImageCodecs
//   HTTPCore                     pure HTTP/1.1 request/response parsing and serialisation (no sockets, no JSON)
//   NetIO                        epoll event loop, non-blocking sockets, HTTP server and client connections
//   OpenAIAPI                    OpenAI wire format: JSON, request decoding, chunks, error bodies
//   Observability                logger (one escaped line per call), Prometheus metrics registry, thread names
//   TextCore                     stub tokenizer and vocabulary, Hugging Face tokenizer.json BPE, Qwen chat
//                                template, SplitMix64 (no model; reads only tokenizer.json)
//   Engine                       engine thread, scheduler, stub decoder, cost model (no vision, no HTTP)
//   VLServeKit                   the server application: routes HTTP requests to the API and the engine
//   BenchKit                     vlbench: datasets, arrival schedule, metrics, reports (ImageCodecs, not VisionCore:
//                                vlbench links no OpenBLAS or oneDNN)
//   VLServeBenchmarks            vlserve bench-*: conv, preprocess (+ cache key), API and tokenizer micro-benchmarks and
//                                their reports
//   vlserve, vlbench             executables: argument parsing and wiring only
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "VLServe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vlserve", targets: ["vlserve"]),
        .executable(name: "vlbench", targets: ["vlbench"]),
        // Libraries for the fuzzing package under Fuzz/ (and for embedding VLServe's layers elsewhere).
        .library(name: "HTTPCore", targets: ["HTTPCore"]),
        .library(name: "OpenAIAPI", targets: ["OpenAIAPI"]),
        .library(name: "ImageCodecs", targets: ["ImageCodecs"]),
        .library(name: "VisionCore", targets: ["VisionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CImageCodecs", path: "Sources/CImageCodecs",
                linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("spng")]),
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "COneDNN", dependencies: ["CKernels"], path: "Sources/COneDNN",
                linkerSettings: [.linkedLibrary("dnnl")]),
        .target(name: "ImageCodecs", dependencies: ["CImageCodecs"], swiftSettings: swiftSettings),
        .target(name: "VisionCore", dependencies: ["CBLAS", "CImageCodecs", "CKernels", "COneDNN", "ImageCodecs"],
                swiftSettings: swiftSettings),
        .target(name: "HTTPCore", swiftSettings: swiftSettings),
        .target(name: "NetIO", dependencies: ["HTTPCore"], swiftSettings: swiftSettings),
        .target(name: "OpenAIAPI", swiftSettings: swiftSettings),
        .target(name: "Observability", swiftSettings: swiftSettings),
        .target(name: "TextCore", swiftSettings: swiftSettings),
        .target(name: "Engine", dependencies: ["Observability", "TextCore"], swiftSettings: swiftSettings),
        .target(name: "VLServeKit", dependencies: ["HTTPCore", "NetIO", "OpenAIAPI", "Observability", "TextCore", "Engine",
                                                   "VisionCore", "CKernels"],
                swiftSettings: swiftSettings),
        .target(name: "BenchKit", dependencies: ["HTTPCore", "NetIO", "OpenAIAPI", "Observability", "ImageCodecs", "TextCore"],
                swiftSettings: swiftSettings),
        .executableTarget(name: "vlserve", dependencies: [
            "VLServeKit", "NetIO", "VisionCore", "Observability", "VLServeBenchmarks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "vlbench", dependencies: [
            "BenchKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        .target(name: "VLServeBenchmarks", dependencies: ["VisionCore", "OpenAIAPI", "TextCore", "VLServeKit"], swiftSettings: swiftSettings),
        .testTarget(name: "VisionCoreTests", dependencies: ["VisionCore"], exclude: ["Fixtures"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "VLServeBenchmarksTests", dependencies: ["VLServeBenchmarks", "VisionCore", "OpenAIAPI"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"], swiftSettings: swiftSettings),
        .testTarget(name: "NetIOTests", dependencies: ["NetIO", "HTTPCore"], swiftSettings: swiftSettings),
        .testTarget(name: "OpenAIAPITests", dependencies: ["OpenAIAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability"], swiftSettings: swiftSettings),
        .testTarget(name: "TextCoreTests", dependencies: ["TextCore"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Observability", "TextCore"], swiftSettings: swiftSettings),
        .testTarget(name: "VLServeKitTests", dependencies: ["VLServeKit", "NetIO", "HTTPCore", "Observability", "TextCore", "Engine"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "BenchKitTests", dependencies: ["BenchKit", "TextCore", "VisionCore"], exclude: ["Golden"],
                    swiftSettings: swiftSettings),
    ]
)
