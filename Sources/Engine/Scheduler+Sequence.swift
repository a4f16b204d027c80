extension Scheduler {
    /// One request's state from enqueue to finish.
    final class Sequence {
        let ticket: EngineTicket
        let request: EngineRequest
        var images: [EngineImage]
        let patchCount: Int
        /// Patch rows of the images that came without an encoder output (image-cache misses).
        let uncachedPatches: Int
        let imageCount: Int
        var generator: StubDecoder.SequenceGenerator
        let onOutput: @Sendable (SequenceOutput) -> Void
        let enqueuedAt: Double
        var admittedAt = 0.0
        var firstTokenAt = 0.0
        var lastTokenAt = 0.0
        var encodeSeconds = 0.0
        /// KV-cache blocks this sequence holds (0 while waiting).
        var heldBlocks = 0
        /// Times this sequence was preempted.
        var preemptions = 0

        init(ticket: EngineTicket, request: EngineRequest, generator: StubDecoder.SequenceGenerator,
             enqueuedAt: Double, onOutput: @escaping @Sendable (SequenceOutput) -> Void) {
            self.ticket = ticket
            var stripped = request
            stripped.images = []  // the pixels live in `images` only, so they can be freed early
            self.request = stripped
            images = request.images
            imageCount = request.images.count
            patchCount = request.images.reduce(0) { $0 + $1.patchCount }
            uncachedPatches = request.images.reduce(0) { $0 + ($1.encoded == nil ? $1.patchCount : 0) }
            self.generator = generator
            self.enqueuedAt = enqueuedAt
            self.onOutput = onOutput
        }

        var promptTokens: Int { request.promptTokenIDs.count }
        /// Tokens whose KV entries the sequence needs: prompt plus generated so far.
        var contextTokens: Int { promptTokens + generator.tokenCount }
        /// Patch rows still to encode (0 once encoded, after a preemption, or when every image came with its
        /// encoder output).
        var pendingPatches: Int { images.isEmpty ? 0 : uncachedPatches }
        /// The encoder's output for this sequence's images, held from encoding until its prefill (the first
        /// token) has consumed it, as vLLM's encoder cache does.
        var embeddings: [EncodedImage] = []
    }
}
