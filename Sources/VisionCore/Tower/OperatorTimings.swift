/// Seconds and FLOPs per operator and implementation over one or more tower runs. A value: pass it
/// `inout` to `VisionTower.encode` and read it afterwards (per-request timing, `/metrics` histograms).
public struct OperatorTimings: Sendable, Equatable {
    /// One operator's totals.
    public struct Entry: Sendable, Equatable, Codable {
        public var operation: TowerOperator
        /// The implementation that ran: an option value (`flash`, `fused`, ...) or the GEMM's `backend dtype`.
        public var implementation: String
        public var seconds: Double
        /// Floating-point operations (a multiply-add counts 2); 0 when not meaningful.
        public var flops: Double
        /// Calls summed into this entry (e.g. 32 per tower run for per-block operators).
        public var calls: Int
    }

    /// Entries in the order the operators first ran.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds `seconds` and `flops` to the entry for (`operation`, `implementation`).
    public mutating func add(_ operation: TowerOperator, _ implementation: String, seconds: Double, flops: Double = 0) {
        if let i = entries.firstIndex(where: { $0.operation == operation && $0.implementation == implementation }) {
            entries[i].seconds += seconds
            entries[i].flops += flops
            entries[i].calls += 1
        } else {
            entries.append(Entry(operation: operation, implementation: implementation, seconds: seconds, flops: flops,
                                 calls: 1))
        }
    }

    /// Sum over all entries, in seconds.
    public var totalSeconds: Double { entries.reduce(0) { $0 + $1.seconds } }

    /// Seconds spent in `operation` (all implementations).
    public func seconds(_ operation: TowerOperator) -> Double {
        entries.filter { $0.operation == operation }.reduce(0) { $0 + $1.seconds }
    }

    /// Adds every entry of `other`.
    public mutating func merge(_ other: OperatorTimings) {
        for e in other.entries {
            if let i = entries.firstIndex(where: { $0.operation == e.operation && $0.implementation == e.implementation }) {
                entries[i].seconds += e.seconds
                entries[i].flops += e.flops
                entries[i].calls += e.calls
            } else {
                entries.append(e)
            }
        }
    }
}

/// Measures one operator call into an `OperatorTimings`.
struct OperatorClock {
    private let start = ContinuousClock.now

    func stop(_ timings: inout OperatorTimings, _ operation: TowerOperator, _ implementation: String, flops: Double = 0) {
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        timings.add(operation, implementation, seconds: seconds, flops: flops)
    }
}
