/// Wall-clock time of each phase of `ImagePreprocessor.preprocess(encoded:)`, in seconds.
public struct PreprocessTiming: Sendable, Equatable {
    /// Header check and JPEG/PNG decoding to RGB8.
    public var decodeSeconds: Double = 0
    /// smart_resize and the bicubic resize.
    public var resizeSeconds: Double = 0
    /// Rescale, normalise, frame duplication and patchify.
    public var patchifySeconds: Double = 0
    public var totalSeconds: Double { decodeSeconds + resizeSeconds + patchifySeconds }
    public init() {}
}
