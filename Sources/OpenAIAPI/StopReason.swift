/// vLLM's `stop_reason`: the stop string or stop token id that ended the choice; nil (`null`) for EOS/length.
public enum StopReason: Sendable, Equatable {
    case string(String)
    case tokenID(Int)

    /// Appends the JSON value, `null` for nil.
    static func append(_ r: StopReason?, to out: inout [UInt8]) {
        switch r {
        case nil: JSONWriter.appendRaw("null", to: &out)
        case .string(let s)?: JSONWriter.appendString(s, to: &out)
        case .tokenID(let id)?: JSONWriter.appendInt(id, to: &out)
        }
    }
}
