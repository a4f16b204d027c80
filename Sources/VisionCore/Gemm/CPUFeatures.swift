import CKernels
import Foundation

/// The x86-64 features VisionCore's kernels choose between, detected with `cpuid` and `xgetbv` (a feature
/// counts only when the OS also enabled its register state).
///
/// `ONEDNN_MAX_CPU_ISA` (or its older name `DNNL_MAX_CPU_ISA`), which caps the ISA oneDNN dispatches to,
/// caps this view the same way: `AVX2` hides AVX-512 and AMX, `AVX512_CORE` hides bfloat16 and AMX,
/// `AVX512_CORE_BF16` hides AMX. So `ONEDNN_MAX_CPU_ISA=AVX2 vlserve ...` shows what an AVX2-only machine does.
public struct CPUFeatures: Sendable, Equatable {
    public var avx2 = false
    public var fma = false
    public var avx512f = false
    public var avx512bw = false
    public var avx512vl = false
    public var avx512bf16 = false
    public var amxTile = false
    public var amxBF16 = false

    public init() {}

    /// This machine's features (read once).
    public static let current: CPUFeatures = {
        var raw = vl_cpu_features()
        vl_cpu_detect(&raw)
        var features = CPUFeatures()
        features.avx2 = raw.avx2 != 0
        features.fma = raw.fma != 0
        features.avx512f = raw.avx512f != 0
        features.avx512bw = raw.avx512bw != 0
        features.avx512vl = raw.avx512vl != 0
        features.avx512bf16 = raw.avx512_bf16 != 0
        features.amxTile = raw.amx_tile != 0
        features.amxBF16 = raw.amx_bf16 != 0
        let environment = ProcessInfo.processInfo.environment
        if let cap = environment["ONEDNN_MAX_CPU_ISA"] ?? environment["DNNL_MAX_CPU_ISA"] {
            features = features.capped(at: cap)
        }
        return features
    }()

    /// These features limited to oneDNN's ISA name `cap` (`SSE41`, `AVX`, `AVX2`, `AVX2_VNNI`, `AVX512_CORE`,
    /// `AVX512_CORE_VNNI`, `AVX512_CORE_BF16`, `AVX512_CORE_AMX`, `ALL`; case-insensitive).
    public func capped(at cap: String) -> CPUFeatures {
        var f = self
        switch cap.uppercased() {
        case "SSE41", "AVX":
            f.avx2 = false; f.fma = false
            fallthrough
        case "AVX2", "AVX2_VNNI", "AVX2_VNNI_2":
            f.avx512f = false; f.avx512bw = false; f.avx512vl = false
            fallthrough
        case "AVX512_CORE", "AVX512_CORE_VNNI":
            f.avx512bf16 = false
            fallthrough
        case "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX10_1_512":
            f.amxTile = false; f.amxBF16 = false
        default:
            break
        }
        return f
    }

    /// True when bfloat16 GEMMs run natively: AVX512-BF16 (with AVX512VL) or AMX-BF16.
    public var nativeBF16: Bool { (avx512bf16 && avx512vl) || (amxTile && amxBF16) }

    /// Names of the present features, in `/proc/cpuinfo` spelling: `avx2 fma avx512f ... avx512_bf16 amx_bf16`.
    public var names: [String] {
        [("avx2", avx2), ("fma", fma), ("avx512f", avx512f), ("avx512bw", avx512bw), ("avx512vl", avx512vl),
         ("avx512_bf16", avx512bf16), ("amx_tile", amxTile), ("amx_bf16", amxBF16)]
            .filter(\.1).map(\.0)
    }

    /// The CPU's marketing name from `/proc/cpuinfo` (`model name`), or "unknown CPU".
    public static let modelName: String = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }()
}
