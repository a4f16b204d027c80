import Engine
import Observability
import VisionCore

/// `vlserve:vision_info`: a gauge fixed at 1 whose labels say what the vision kernels run on (as
/// `vllm:cache_config_info` does for the cache): `cpu`, `cpu_features`, `blas_core`
/// (`openblas_get_corename()`), `onednn` (version), the encoder's labels (`conv_impl`, `gemm_backend`,
/// `dtype`) and `kernel` (the library's implementation string).
enum VisionInfoMetric {
    static func register(in registry: MetricsRegistry, encoder: (any VisionEncoder)?) {
        var labels: [(String, String)] = [
            ("cpu", CPUFeatures.modelName), ("cpu_features", CPUFeatures.current.names.joined(separator: " ")),
            ("blas_core", BLAS.coreName), ("onednn", VisionInfo.onednnVersion),
        ]
        labels += encoder?.metricLabels ?? []
        if let patch = encoder as? PatchEmbeddingEncoder { labels.append(("kernel", patch.kernelName)) }
        registry.gauge("vlserve:vision_info", help: "What the vision kernels run on (always 1).", labels: labels).set(1)
    }
}
