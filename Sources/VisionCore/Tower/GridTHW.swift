/// One image's (or video's) patch grid, `image_grid_thw`: `t` temporal patches × `h` × `w` patches of 14 px.
/// `h` and `w` are multiples of `spatial_merge_size` (2) for every grid the preprocessor makes.
public struct GridTHW: Sendable, Hashable, Codable, CustomStringConvertible {
    public var t: Int
    public var h: Int
    public var w: Int

    public init(t: Int, h: Int, w: Int) {
        self.t = t
        self.h = h
        self.w = w
    }

    /// Patch rows of `pixel_values` for this grid: `t·h·w`.
    public var patches: Int { t * h * w }

    public var description: String { "\(t)x\(h)x\(w)" }
}
