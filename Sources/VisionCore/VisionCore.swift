// Module VisionCore. See Package.swift for the layering.

// The image types (`ImageDecoder`, `ImageDecodingError`, `ImageFormat`, `ImageHeader`, `JPEGEncoder`,
// `RGBImage`) live in the ImageCodecs module, which needs no GEMM stack; VisionCore re-exports it so that
// `import VisionCore` still sees them.
@_exported import ImageCodecs
