import ImageCodecs

/// The random-mm image encoder: ImageCodecs' libjpeg-turbo `JPEGEncoder` (baseline, 4:2:0), the same encoder
/// VisionCore re-exports.
public let imageCodecsJPEGEncoder: JPEGEncodeFunction = { width, height, rgb, quality in
    try JPEGEncoder.encode(RGBImage(width: width, height: height, pixels: rgb), quality: quality)
}
