/// One `--random-mm-bucket-config` entry: an (H, W, T) shape and its probability. T = 1 is an image.
public struct MMBucket: Sendable, Equatable {
    public var height: Int
    public var width: Int
    public var frames: Int
    public var probability: Double
}
