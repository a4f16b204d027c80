/// One entry of `GET /v1/models` (vLLM `ModelCard`, openai-api.md §4).
public struct ModelCard: Sendable, Equatable {
    /// The name clients send as `model` (the served name).
    public var id: String
    /// Unix seconds.
    public var created: Int
    /// Default "vllm", as vLLM reports.
    public var ownedBy: String
    /// Tokenizer / checkpoint id (a Hugging Face repo id or local path): `vllm bench serve` loads its
    /// tokenizer from it when `--model` is omitted.
    public var root: String
    public var parent: String?
    public var maxModelLen: Int
    /// Id of the single permission object ("modelperm-<hex>").
    public var permissionID: String

    public init(id: String, created: Int, ownedBy: String = "vllm", root: String, parent: String? = nil,
                maxModelLen: Int, permissionID: String = RequestID.modelPermission()) {
        self.id = id
        self.created = created
        self.ownedBy = ownedBy
        self.root = root
        self.parent = parent
        self.maxModelLen = maxModelLen
        self.permissionID = permissionID
    }

    /// Appends the card object.
    public func append(to out: inout [UInt8]) {
        JSONWriter.appendRaw("{\"id\":", to: &out)
        JSONWriter.appendString(id, to: &out)
        JSONWriter.appendRaw(",\"object\":\"model\",\"created\":", to: &out)
        JSONWriter.appendInt(created, to: &out)
        JSONWriter.appendRaw(",\"owned_by\":", to: &out)
        JSONWriter.appendString(ownedBy, to: &out)
        JSONWriter.appendRaw(",\"root\":", to: &out)
        JSONWriter.appendString(root, to: &out)
        JSONWriter.appendRaw(",\"parent\":", to: &out)
        if let parent { JSONWriter.appendString(parent, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        JSONWriter.appendRaw(",\"max_model_len\":", to: &out)
        JSONWriter.appendInt(maxModelLen, to: &out)
        JSONWriter.appendRaw(",\"permission\":[{\"id\":", to: &out)
        JSONWriter.appendString(permissionID, to: &out)
        JSONWriter.appendRaw(",\"object\":\"model_permission\",\"created\":", to: &out)
        JSONWriter.appendInt(created, to: &out)
        JSONWriter.appendRaw(",\"allow_create_engine\":false,\"allow_sampling\":true,\"allow_logprobs\":true,", to: &out)
        JSONWriter.appendRaw("\"allow_search_indices\":false,\"allow_view\":true,\"allow_fine_tuning\":false,", to: &out)
        JSONWriter.appendRaw("\"organization\":\"*\",\"group\":null,\"is_blocking\":false}]}", to: &out)
    }
}
