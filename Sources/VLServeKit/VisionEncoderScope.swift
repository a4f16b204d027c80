/// `--vision-encoder`: how much of the vision encoder runs.
public enum VisionEncoderScope: String, CaseIterable, Sendable {
    /// The Conv3d patch embedding only (the decoder stub stands in for the rest).
    case patchEmbed = "patch-embed"
    /// The whole vision tower (`VisionTower`).
    case full
}
