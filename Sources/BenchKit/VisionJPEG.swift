import VisionCore

/// The random-mm image encoder: VisionCore's libjpeg-turbo `JPEGEncoder` (baseline, 4:2:0).
public let visionCoreJPEGEncoder: JPEGEncodeFunction = { width, height, rgb, quality in
    try JPEGEncoder.encode(RGBImage(width: width, height: height, pixels: rgb), quality: quality)
}
