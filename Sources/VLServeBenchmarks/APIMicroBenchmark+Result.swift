extension APIMicroBenchmark {
    /// One measured case of `APIMicroBenchmark.run`.
    public struct Result: Sendable, CustomStringConvertible {
        public var name: String
        public var operations: Int
        /// Wall-clock seconds.
        public var seconds: Double
        /// CPU seconds of the measuring thread (what one core spends; unaffected by other load).
        public var cpuSeconds: Double
        /// Bytes produced (encoding) or consumed (decoding) over all operations.
        public var bytes: Int
        /// Operations per CPU second of one core.
        public var perSecond: Double { Double(operations) / cpuSeconds }
        /// `name: N ops/s per core (ops in X ms CPU, Y ms wall, Z MB/s)`, the line `vlserve bench-api` prints.
        public var description: String {
            let mb = Double(bytes) / cpuSeconds / 1e6
            return "\(name): \(Int(perSecond)) ops/s per core (\(operations) in \(Int(cpuSeconds * 1000)) ms CPU, "
                + "\(Int(seconds * 1000)) ms wall, \(Int(mb)) MB/s)"
        }
    }

    /// Operation counts of each case of `run`; `scaled(1)` takes a few seconds in a release build.
    public struct Workload: Sendable, Equatable {
        /// Content chunks encoded into new arrays, and appended into one buffer (cases 1 and 2).
        public var chunks: Int
        /// Content chunks with continuous usage stats (case 3).
        public var usageChunks: Int
        /// Decodes of the chat body with a 100 KB base64 image (case 4).
        public var imageRequestDecodes: Int
        /// Decodes of the text-only chat body (case 5).
        public var textRequestDecodes: Int

        public init(chunks: Int, usageChunks: Int, imageRequestDecodes: Int, textRequestDecodes: Int) {
            self.chunks = chunks
            self.usageChunks = usageChunks
            self.imageRequestDecodes = imageRequestDecodes
            self.textRequestDecodes = textRequestDecodes
        }

        /// 2,000,000 / 1,000,000 / 5,000 / 200,000 operations times `scale` (at least 1).
        public static func scaled(_ scale: Int) -> Workload {
            let s = max(1, scale)
            return Workload(chunks: 2_000_000 * s, usageChunks: 1_000_000 * s, imageRequestDecodes: 5_000 * s,
                            textRequestDecodes: 200_000 * s)
        }
    }
}
