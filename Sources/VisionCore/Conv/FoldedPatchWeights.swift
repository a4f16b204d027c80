import Foundation

/// The patch-embedding weight summed over its temporal axis, `[hidden, in_chans·p·p]` (Σ_t weight[:, :, t],
/// float32 sum, then the backend's dtype), as a `Linear` for `PatchEmbedding`'s `.folded` path.
///
/// Prepared on first use, not at construction: a server that never runs `.folded` never pays for it
/// (1280 × 588 floats plus the backend's prepared copy). Thread-safe: concurrent first callers wait
/// under an `NSLock` while one prepares; a failure is not cached, so the next call tries again.
final class FoldedPatchWeights: @unchecked Sendable {
    private let lock = NSLock()
    private var linear: Linear?   // under `lock`
    /// `[hidden, in_chans, kT, p, p]` row-major (shared with `Conv3d.weight`, not copied).
    private let weight: [Float]
    private let hiddenSize: Int
    private let inChannels: Int
    private let temporalPatchSize: Int
    private let plane: Int
    private let gemm: GemmConfiguration

    init(weight: [Float], hiddenSize: Int, inChannels: Int, temporalPatchSize: Int, patchSize: Int,
         gemm: GemmConfiguration) {
        self.weight = weight
        self.hiddenSize = hiddenSize
        self.inChannels = inChannels
        self.temporalPatchSize = temporalPatchSize
        self.plane = patchSize * patchSize
        self.gemm = gemm
    }

    /// Whether the folded weights have been prepared (for tests).
    var isPrepared: Bool { lock.withLock { linear != nil } }

    /// The folded layer, prepared now if this is the first call.
    func prepared() throws(GemmError) -> Linear {
        lock.lock()
        defer { lock.unlock() }
        if let linear { return linear }
        let made = try Linear(weight: summed(), bias: nil, outFeatures: hiddenSize, inFeatures: inChannels * plane,
                              configuration: gemm)
        linear = made
        return made
    }

    private func summed() -> [Float] {
        let frameSize = inChannels * plane
        let inputSize = frameSize * temporalPatchSize
        var summed = [Float](repeating: 0, count: hiddenSize * frameSize)
        for o in 0..<hiddenSize {
            for c in 0..<inChannels {
                for i in 0..<plane {
                    var sum: Float = 0
                    for f in 0..<temporalPatchSize { sum += weight[o * inputSize + (c * temporalPatchSize + f) * plane + i] }
                    summed[o * frameSize + c * plane + i] = sum
                }
            }
        }
        return summed
    }
}
