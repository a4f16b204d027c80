/// Any JSON value, decoded and discarded: `[String: AnyKeys]` lists a JSON object's keys.
struct AnyKeys: Decodable {
    init(from decoder: any Decoder) throws {}
}
