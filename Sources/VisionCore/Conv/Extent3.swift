/// Three extents in (depth/time, height, width) order, as torch's `kernel_size=(kT, kH, kW)`.
public struct Extent3: Sendable, Equatable, CustomStringConvertible {
    public var t: Int
    public var h: Int
    public var w: Int

    public init(t: Int, h: Int, w: Int) {
        self.t = t
        self.h = h
        self.w = w
    }

    /// The same value on all three axes (torch's `kernel_size=3`).
    public init(_ all: Int) {
        self.init(t: all, h: all, w: all)
    }

    public var product: Int { t * h * w }
    public var description: String { "\(t)x\(h)x\(w)" }
}
