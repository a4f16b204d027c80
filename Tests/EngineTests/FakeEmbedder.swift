@testable import Engine

/// A `VisionEncoder` that records every call: the rows it was given and the first value of each row
/// (images are `image(patches:value:)` rows `[value, value]`).
final class FakeEmbedder: VisionEncoder, @unchecked Sendable {
    let metricLabels = [("conv_impl", "fake")]
    var batches: [(rows: Int, firstValues: [Float])] = []
    var failing = false

    func encode(_ images: [EngineImage]) throws -> [EncodedImage] {
        struct Failure: Error {}
        if failing { throw Failure() }
        var firstValues: [Float] = []
        for image in images {
            precondition(image.pixelValues.count == image.patchCount * 2)
            firstValues += stride(from: 0, to: image.pixelValues.count, by: 2).map { image.pixelValues[$0] }
        }
        batches.append((images.reduce(0) { $0 + $1.patchCount }, firstValues))
        return images.map { EncodedImage(rows: $0.patchCount, width: 4, values: Array(repeating: 0, count: $0.patchCount * 4)) }
    }
}
