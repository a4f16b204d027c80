/// One image's encoder output: `values` is `[rows, width]` row-major (the patch embeddings `[N, 1280]`).
public struct EncodedImage: Sendable {
    public var rows: Int
    public var width: Int
    public var values: [Float]

    public init(rows: Int, width: Int, values: [Float]) {
        self.rows = rows
        self.width = width
        self.values = values
    }
}
