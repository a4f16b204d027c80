/// Ramp-up of the request rate across the run (`--ramp-up-strategy`, `--ramp-up-start-rps`,
/// `--ramp-up-end-rps`).
public struct RampUp: Sendable, Equatable {
    public enum Strategy: String, Sendable, CaseIterable { case linear, exponential }
    public var strategy: Strategy
    public var startRPS: Double
    public var endRPS: Double
    public init(strategy: Strategy, startRPS: Double, endRPS: Double) {
        self.strategy = strategy; self.startRPS = startRPS; self.endRPS = endRPS
    }

    /// Rate for request `index` of `count`: progress p = i / max(N−1, 1); linear start+(end−start)p,
    /// exponential start·(end/start)^p (`_get_current_request_rate` in serve.py).
    public func rate(index: Int, count: Int) -> Double {
        let p = Double(index) / Double(max(count - 1, 1))
        switch strategy {
        case .linear: return startRPS + (endRPS - startRPS) * p
        case .exponential: return startRPS * _pow(endRPS / startRPS, p)
        }
    }
}
