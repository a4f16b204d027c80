public enum VLServeVersion {
    public static let current = "0.1.0"
}
