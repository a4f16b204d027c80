import Observability

/// The vision work the engine runs on its thread: the one seam between the engine and the vision code.
/// The engine hands over the images admitted in a step, in order, and keeps what comes back until the
/// sequence's prefill has consumed it. VLServeKit adapts VisionCore's encoders (the patch embedding today,
/// the whole tower later) to it; tests use a fake.
public protocol VisionEncoder: AnyObject {
    /// Labels of the encoder metrics, e.g. `[("conv_impl", "gemm"), ("gemm_backend", "onednn"),
    /// ("dtype", "bfloat16")]`.
    var metricLabels: [(String, String)] { get }
    /// Encodes one step's images. Returns one output per image, in order. Called only on the engine thread.
    func encode(_ images: [EngineImage]) throws -> [EncodedImage]
    /// Rows of `image`'s output: its patches for a patch embedding (the default), its merged tokens for the
    /// whole tower. The engine checks every output against it.
    func outputRows(for image: EngineImage) -> Int
    /// Registers the encoder's own metrics (e.g. per-operator histograms) with the engine's `base` labels.
    func registerMetrics(in registry: MetricsRegistry, labels base: [(String, String)])
}

extension VisionEncoder {
    public func outputRows(for image: EngineImage) -> Int { image.patchCount }
    public func registerMetrics(in registry: MetricsRegistry, labels base: [(String, String)]) {}
}
