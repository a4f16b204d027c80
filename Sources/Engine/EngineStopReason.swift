/// What ended a `.stop` sequence (vLLM's `stop_reason`): `nil` for EOS.
public enum EngineStopReason: Sendable, Equatable {
    case string(String)
    case tokenID(Int32)
}
