/// Dataset choice and its options (`--dataset-name` and friends).
public enum DatasetSpec: Sendable {
    case random(RandomDataset)
    case randomMM(RandomMMDataset)
    case shareGPT(path: String, outputLen: Int?, shuffle: Bool, oversample: Bool)
    case custom(path: String, outputLen: Int, shuffle: Bool)

    public var name: String {
        switch self {
        case .random: return "random"
        case .randomMM: return "random-mm"
        case .shareGPT: return "sharegpt"
        case .custom: return "custom"
        }
    }
}
