import ArgumentParser

/// `--vision-encoder`: how much of the vision encoder runs.
enum VisionEncoderScope: String, CaseIterable, ExpressibleByArgument {
    /// The Conv3d patch embedding only (the decoder stub stands in for the rest).
    case patchEmbed = "patch-embed"
    /// The whole vision tower (`VisionTower`).
    case full
}
