/// `--dtype`: vLLM's flag. `auto` is bfloat16 when the checkpoint's weights are bfloat16 and the CPU runs
/// bfloat16 natively (`CPUFeatures.nativeBF16`), else float32.
public enum DTypeChoice: String, CaseIterable, Sendable {
    case auto
    case float32
    case bfloat16
}
