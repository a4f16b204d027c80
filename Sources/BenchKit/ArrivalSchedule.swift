/// Errors in the load-shape options.
public struct ScheduleError: Error, CustomStringConvertible {
    public var description: String
}

/// Precomputed send offsets, as `get_request` in `vllm/benchmarks/serve.py` (latest) computes them
/// (vllm-bench-compat.md §3).
public struct ArrivalSchedule: Sendable {
    /// Seconds after the benchmark start at which request i is sent (ascending).
    public var offsets: [Double]
    /// Instantaneous rate used for request i (req/s; `.infinity` when unthrottled).
    public var rates: [Double]

    /// - Gap i: 0 if the rate is inf; 1/rate if burstiness is inf; else Gamma(shape b, scale 1/(rate·b)).
    /// - Offsets are cumulative gaps (the first request waits its own gap).
    /// - Without ramp-up and with a finite rate, offsets are rescaled so the last one is exactly N/rate.
    /// - `rng`: numpy's legacy generator seeded with `--seed`, so the gaps are the draws vLLM makes.
    public init(count: Int, requestRate: Double, burstiness: Double, rampUp: RampUp?,
                rng: inout NumpyLegacyRandom) throws(ScheduleError) {
        guard burstiness > 0 else { throw ScheduleError(description: "--burstiness must be > 0 (got \(burstiness))") }
        guard requestRate > 0 else { throw ScheduleError(description: "--request-rate must be > 0 or inf (got \(requestRate))") }
        if let r = rampUp {
            guard requestRate.isInfinite else {
                throw ScheduleError(description: "--ramp-up-strategy requires --request-rate to be left at inf")
            }
            guard r.startRPS >= 0, r.endRPS > 0 else {
                throw ScheduleError(description: "ramp-up rates must be positive (start \(r.startRPS), end \(r.endRPS))")
            }
            if r.strategy == .exponential && r.startRPS <= 0 {
                throw ScheduleError(description: "--ramp-up-strategy exponential requires --ramp-up-start-rps > 0")
            }
        }
        var gaps: [Double] = []
        var rates: [Double] = []
        gaps.reserveCapacity(count)
        for i in 0..<count {
            let rate = rampUp?.rate(index: i, count: count) ?? requestRate
            rates.append(rate)
            if rate.isInfinite {
                gaps.append(0)
            } else if rate <= 0 {
                // A linear ramp from 0: the first request waits one end-rate gap (upstream asserts).
                gaps.append(1 / (rampUp?.endRPS ?? 1))
            } else if burstiness.isInfinite {
                gaps.append(1 / rate)
            } else {
                gaps.append(rng.gamma(shape: burstiness, scale: 1 / (rate * burstiness)))
            }
        }
        var acc = 0.0
        var offs = gaps.map { acc += $0; return acc }
        if rampUp == nil, let last = offs.last, last != 0, requestRate.isFinite {
            let factor = (Double(count) / requestRate) / last
            offs = offs.map { $0 * factor }
        }
        self.offsets = offs
        self.rates = rates
    }

    /// The requests of `shard` and their offsets from the start of the whole schedule (global offsets,
    /// ascending): shard i/N of the same seeded schedule sends request k at `offsets[k]` for every k it owns.
    public func share(_ shard: Shard) -> (indices: [Int], offsets: [Double]) {
        let indices = shard.indices(total: offsets.count)
        return (indices, indices.map { offsets[$0] })
    }

    /// Integer-RPS crossings for `rps_change_events`: (rps, index of the request that crossed it),
    /// emitted for every integer passed, starting from -1 as upstream does.
    public func rpsChanges() -> [(rps: Int, index: Int)] {
        var last = -1
        var out: [(Int, Int)] = []
        for (i, r) in rates.enumerated() where r.isFinite {
            let cur = Int(r)
            if cur > last {
                for k in (last + 1)...cur { out.append((k, i)) }
                last = cur
            }
        }
        return out
    }
}
