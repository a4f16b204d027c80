/// Time source and sleeper of the engine; tests substitute a fake that advances instantly.
public protocol EngineClock: Sendable {
    /// Monotonic time in seconds (arbitrary origin).
    func now() -> Double
    /// Blocks the calling (engine) thread for `seconds` (> 0). Never spins.
    func sleep(seconds: Double)
}
