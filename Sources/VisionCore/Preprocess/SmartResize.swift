import Foundation

/// transformers' `smart_resize` (models/qwen2_vl/image_processing_pil_qwen2_vl.py, 5.24), exactly:
/// float64 arithmetic, Python `round` = round-half-to-even, `floor`/`ceil` as `math.floor`/`math.ceil`.
public enum SmartResize {
    /// Maximum accepted `max(h, w) / min(h, w)`.
    public static let maxAspectRatio = 200.0

    /// The resized `(height, width)`: both multiples of `factor`, `H*W` within `[minPixels, maxPixels]`
    /// where possible, aspect ratio kept as closely as possible.
    public static func targetSize(height: Int, width: Int, factor: Int = 28, minPixels: Int, maxPixels: Int)
        throws(PreprocessingError) -> (height: Int, width: Int)
    {
        guard height > 0, width > 0 else { throw .invalidDimensions(height: height, width: width) }
        guard factor > 0 else { throw .invalidConfig("resize factor must be positive, got \(factor)") }
        let h = Double(height), w = Double(width), f = Double(factor)
        let ratio = max(h, w) / min(h, w)
        if ratio > maxAspectRatio { throw .aspectRatioTooLarge(height: height, width: width, ratio: ratio) }
        var hBar = Int((h / f).rounded(.toNearestOrEven)) * factor
        var wBar = Int((w / f).rounded(.toNearestOrEven)) * factor
        if hBar * wBar > maxPixels {
            let beta = (h * w / Double(maxPixels)).squareRoot()
            hBar = max(factor, Int((h / beta / f).rounded(.down)) * factor)
            wBar = max(factor, Int((w / beta / f).rounded(.down)) * factor)
        } else if hBar * wBar < minPixels {
            let beta = (Double(minPixels) / (h * w)).squareRoot()
            hBar = Int((h * beta / f).rounded(.up)) * factor
            wBar = Int((w * beta / f).rounded(.up)) * factor
        }
        guard hBar > 0, wBar > 0 else { throw .invalidTargetSize(height: hBar, width: wBar, factor: factor) }
        return (hBar, wBar)
    }
}
