/// Simulated accelerator time of the stub language model, in milliseconds. The engine SLEEPS for it
/// (it never spins), so the real CPU work (image decoding, the patch embedding) competes for cores.
///
/// One engine step costs
/// `decodeStepMs + perSequenceMs × runningSequences + prefillMsPer1kTokens × prefillTokens / 1000`
/// where the decode terms apply only when some sequence decodes in the step.
/// Defaults resemble a 7B model in bf16 on one H100-class accelerator: about 20 ms per decode step
/// (memory-bound weight reads, ~14 GB at ~0.7 of 3.3 TB/s), 0.1 ms more per sequence in the batch
/// (KV-cache reads and sampling), 30 ms per 1,000 prefill tokens (~14 TFLOP at ~0.5 of peak).
/// Every term can be 0 (`--decode-step-ms 0` etc.) to measure the server alone.
public struct CostModel: Sendable, Equatable {
    public var decodeStepMs: Double
    public var perSequenceMs: Double
    public var prefillMsPer1kTokens: Double

    public static let defaultDecodeStepMs = 20.0
    public static let defaultPerSequenceMs = 0.1
    public static let defaultPrefillMsPer1kTokens = 30.0

    public init(decodeStepMs: Double = CostModel.defaultDecodeStepMs,
                perSequenceMs: Double = CostModel.defaultPerSequenceMs,
                prefillMsPer1kTokens: Double = CostModel.defaultPrefillMsPer1kTokens) {
        self.decodeStepMs = max(0, decodeStepMs)
        self.perSequenceMs = max(0, perSequenceMs)
        self.prefillMsPer1kTokens = max(0, prefillMsPer1kTokens)
    }

    /// No simulated time at all.
    public static let zero = CostModel(decodeStepMs: 0, perSequenceMs: 0, prefillMsPer1kTokens: 0)

    /// Prefill part of a step, in seconds.
    public func prefillSeconds(tokens: Int) -> Double {
        prefillMsPer1kTokens * Double(tokens) / 1_000_000
    }

    /// Decode part of a step with `sequences` decoding sequences, in seconds (0 when none).
    public func decodeSeconds(sequences: Int) -> Double {
        sequences == 0 ? 0 : (decodeStepMs + perSequenceMs * Double(sequences)) / 1000
    }
}
