import Testing
@testable import BenchKit

/// `--shard i/N` and `--start-at`: parsing, the shares of the arrival schedule, the start time.
@Suite struct ShardTests {
    @Test func shardFlagIsOneBased() throws {
        #expect(try Shard(flag: "1/2") == Shard(index: 0, count: 2))
        #expect(try Shard(flag: "2/2") == Shard(index: 1, count: 2))
        #expect(try Shard(flag: "1/1") == .whole)
        #expect(try Shard(flag: "3/7").description == "3/7")
        let malformed = "--shard expects i/N with whole numbers, e.g. --shard 1/2 and --shard 2/2"
        for bad in ["", "1", "a/2", "1/b", "1/2/3", "1/", "/2", "1.0/2", " 1/2"] {
            #expect(throws: FlagError("\(malformed) (got '\(bad)')")) { try Shard(flag: bad) }
        }
        #expect(throws: FlagError("--shard i/N counts from 1: i must be in 1...2 (got '0/2')")) { try Shard(flag: "0/2") }
        #expect(throws: FlagError("--shard i/N counts from 1: i must be in 1...2 (got '3/2')")) { try Shard(flag: "3/2") }
        #expect(throws: FlagError("--shard i/N counts from 1: i must be in 1...2 (got '-1/2')")) { try Shard(flag: "-1/2") }
        #expect(throws: FlagError("--shard i/N needs N >= 1 shards (got '1/0')")) { try Shard(flag: "1/0") }
        #expect(throws: FlagError("--shard i/N needs N >= 1 shards (got '0/-3')")) { try Shard(flag: "0/-3") }
    }

    @Test func shardAndStartAtFlags() throws {
        var f = BenchmarkFlags()
        #expect(try BenchmarkOptions(flags: f).shard == nil)
        #expect(try BenchmarkOptions(flags: f).startAt == nil)
        f.shard = "2/3"
        f.startAt = "1764669000.25"
        let o = try BenchmarkOptions(flags: f)
        #expect(o.shard == Shard(index: 1, count: 3))
        #expect(o.startAt == 1_764_669_000.25)
        f.numPrompts = 2
        #expect(throws: FlagError("--shard 2/3: 3 shards need at least 3 requests (--num-prompts 2)")) { try BenchmarkOptions(flags: f) }
        f.numPrompts = 10
        f.shard = "4/3"
        #expect(throws: FlagError("--shard i/N counts from 1: i must be in 1...3 (got '4/3')")) { try BenchmarkOptions(flags: f) }
        f.shard = nil
        for bad in ["soon", "-5", "0", "inf", "nan"] {
            f.startAt = bad
            #expect(throws: FlagError("--start-at expects UNIX seconds on the wall clock, e.g. --start-at $(date -d '+30 sec' +%s) "
                + "(got '\(bad)')")) { try BenchmarkOptions(flags: f) }
        }
    }

    @Test func ownershipIsIndexModuloN() {
        let s = Shard(index: 1, count: 3)
        #expect(s.indices(total: 10) == [1, 4, 7])
        #expect((0..<10).filter(s.owns) == [1, 4, 7])
        #expect(Shard.whole.indices(total: 4) == [0, 1, 2, 3])
    }

    /// The shares of a seeded gamma schedule are disjoint, cover it, and keep the global offsets.
    @Test(arguments: [2, 3, 7])
    func sharesPartitionTheUnshardedSchedule(n: Int) throws {
        var rng = NumpyLegacyRandom(seed: 3)
        let whole = try ArrivalSchedule(count: 101, requestRate: 8, burstiness: 0.7, rampUp: nil, rng: &rng)
        var seen = [Int](repeating: 0, count: 101)
        for i in 0..<n {
            // Each shard process draws the same schedule from the same seed.
            var own = NumpyLegacyRandom(seed: 3)
            let schedule = try ArrivalSchedule(count: 101, requestRate: 8, burstiness: 0.7, rampUp: nil, rng: &own)
            let share = schedule.share(Shard(index: i, count: n))
            #expect(share.indices.allSatisfy { $0 % n == i })
            #expect(share.offsets == share.indices.map { whole.offsets[$0] })
            #expect(zip(share.offsets, share.offsets.dropFirst()).allSatisfy { $0 <= $1 })   // ascending, as the driver needs
            for k in share.indices { seen[k] += 1 }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(whole.share(.whole).offsets == whole.offsets)
    }

    @Test func startAtWaitsOrRefuses() throws {
        let s = try RunStart.at(1000.5, nowUnix: 990.25, nowMonotonic: 50)
        #expect(s == RunStart(unix: 1000.5, monotonic: 60.25))
        #expect(throws: BenchmarkError.self) { try RunStart.at(1000, nowUnix: 1000.5, nowMonotonic: 50) }
        #expect(throws: BenchmarkError.self) { try RunStart.at(1000, nowUnix: 1000, nowMonotonic: 50) }
        do {
            _ = try RunStart.at(1000, nowUnix: 1002.5, nowMonotonic: 0)
            Issue.record("a past --start-at was accepted")
        } catch {
            #expect(error.description.hasPrefix("--start-at 1000.0 passed 2.500 s ago"))
        }
        // Milliseconds instead of seconds: refused, not a 50-year wait.
        #expect(throws: BenchmarkError.self) { try RunStart.at(1_764_669_000_000, nowUnix: 1_764_669_000, nowMonotonic: 0) }
    }
}
