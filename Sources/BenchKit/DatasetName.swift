/// `--dataset-name`.
public enum DatasetName: String, Sendable, CaseIterable {
    case random
    case randomMM = "random-mm"
    case sharegpt
    /// Also spelled `custom_mm` and `custom-mm` (`init(flag:)`).
    case custom

    /// The raw value, or `custom_mm` / `custom-mm` for `.custom`.
    public init?(flag: String) {
        if flag == "custom_mm" || flag == "custom-mm" { self = .custom; return }
        self.init(rawValue: flag)
    }
}
