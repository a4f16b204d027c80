/// A validated `POST /detokenize` body: `{"model"?, "tokens": [int]}`.
public struct DetokenizeRequest: Sendable, Equatable {
    public var model: String?
    public var tokens: [Int]

    public init(model: String? = nil, tokens: [Int]) {
        self.model = model
        self.tokens = tokens
    }

    /// Parses and validates a request body; `limits` bound the JSON parser.
    public static func decode(_ body: [UInt8], limits: JSONLimits = .default) throws(APIError) -> DetokenizeRequest {
        typealias F = FieldDecoding
        let members = try F.parseBody(body, limits: limits)
        var model: String?
        var tokens: [Int]?
        for (key, value) in members {
            switch key {
            case "model": model = try F.optionalString(value, key)
            case "tokens": tokens = value == .null ? nil : try F.intArray(value, key)
            default: break
            }
        }
        guard let tokens else { throw APIError.invalidRequest("`tokens` is required.", param: "tokens") }
        for (i, id) in tokens.enumerated() where id < 0 {
            throw APIError.invalidRequest("Token ids must be non-negative, got \(id).", param: "tokens[\(i)]")
        }
        return DetokenizeRequest(model: model, tokens: tokens)
    }
}
