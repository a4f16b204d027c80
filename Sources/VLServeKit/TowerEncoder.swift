import Engine
import Foundation
import Observability
import VisionCore

/// The engine's `VisionEncoder` on the whole Qwen2.5-VL vision tower (`VisionTower`, `--vision-encoder full`):
/// the images admitted in a step are encoded as one variable-length batch (their rows concatenated, one grid
/// each, sequence offsets over images), and each image gets its merged tokens `[t·h·w/4, out_hidden_size]`.
/// Each call's per-operator times go to `vlserve:vision_operator_seconds{operator, implementation}`.
/// Used only on the engine thread.
public final class TowerEncoder: VisionEncoder, @unchecked Sendable {
    public let tower: VisionTower
    private var registry: MetricsRegistry?
    private var baseLabels: [(String, String)] = []
    private var histograms: [String: Histogram] = [:]

    public init(tower: VisionTower) {
        self.tower = tower
    }

    /// Per-call buckets of the operator histograms, in seconds.
    public static let operatorBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                   1.0, 2.5, 5.0, 10.0, 25.0, 60.0]

    /// `encoder` (full), `conv_impl` (the tower's patch embedding runs `auto`), `gemm_backend`, `dtype`, and
    /// each operator's implementation.
    public var metricLabels: [(String, String)] {
        let o = tower.options
        return [("encoder", "full"), ("conv_impl", "auto"), ("gemm_backend", o.gemm.backend.rawValue),
                ("dtype", o.gemm.dtype.rawValue), ("attention", o.attention.rawValue), ("rotary", o.rotary.rawValue),
                ("norm", o.norm.rawValue), ("mlp", o.mlp.rawValue)]
    }

    /// The tower returns merged tokens: `patches / merge²`.
    public func outputRows(for image: EngineImage) -> Int {
        image.patchCount / (tower.config.spatialMergeSize * tower.config.spatialMergeSize)
    }

    public func registerMetrics(in registry: MetricsRegistry, labels base: [(String, String)]) {
        self.registry = registry
        baseLabels = base
        // Register every operator up front so /metrics lists them before the first image.
        var timings = OperatorTimings()
        for operation in TowerOperator.allCases { timings.add(operation, implementation(of: operation), seconds: 0) }
        for entry in timings.entries { _ = histogram(entry.operation, entry.implementation) }
    }

    public func encode(_ images: [EngineImage]) throws -> [EncodedImage] {
        guard !images.isEmpty else { return [] }
        let grids = images.map { GridTHW(t: $0.gridT, h: $0.gridH, w: $0.gridW) }
        var timings = OperatorTimings()
        let output: [Float]
        if images.count == 1 {
            output = try tower.encode(pixelValues: images[0].pixelValues, grids: grids, timings: &timings)
        } else {
            var batch: [Float] = []
            batch.reserveCapacity(images.reduce(0) { $0 + $1.pixelValues.count })
            for image in images { batch.append(contentsOf: image.pixelValues) }
            output = try tower.encode(pixelValues: batch, grids: grids, timings: &timings)
        }
        for entry in timings.entries {
            histogram(entry.operation, entry.implementation).observe(entry.seconds)
        }
        let width = tower.config.outHiddenSize
        var results: [EncodedImage] = []
        var offset = 0
        for image in images {
            let rows = outputRows(for: image)
            results.append(EncodedImage(rows: rows, width: width, values: Array(output[offset..<offset + rows * width])))
            offset += rows * width
        }
        return results
    }

    /// The implementation label `VisionTower` records for `operation`.
    private func implementation(of operation: TowerOperator) -> String {
        let o = tower.options
        switch operation {
        case .attention: return o.attention.rawValue
        case .rotary, .layout: return o.rotary.rawValue
        case .norm: return o.norm.rawValue
        case .mlp: return "\(o.mlp.rawValue) \(o.gemm.description)"
        case .patchEmbed, .qkv, .proj, .merger: return o.gemm.description
        }
    }

    private func histogram(_ operation: TowerOperator, _ implementation: String) -> Histogram {
        let key = operation.rawValue + "/" + implementation
        if let existing = histograms[key] { return existing }
        let registry = registry ?? MetricsRegistry()
        let histogram = registry.histogram("vlserve:vision_operator_seconds",
                                           help: "Per vision-encoder call: time in one tower operator, in seconds.",
                                           buckets: Self.operatorBuckets,
                                           labels: baseLabels + [("operator", operation.rawValue), ("implementation", implementation)])
        histograms[key] = histogram
        return histogram
    }
}
