/// One of `count` disjoint shares of a run (`--shard i/N`, a vlbench extension).
///
/// The flag is 1-based, as Jest's and Playwright's `--shard 1/3`: `--shard 1/2` and `--shard 2/2` together are
/// the whole run. Shard i/N sends the requests whose dataset index k (0-based) has k % N == i − 1, at the
/// offsets the unsharded run's arrival schedule gives them, so the union of the N shards is exactly the
/// unsharded run's requests and arrival times.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 0-based position, in 0..<count.
    public var index: Int
    /// N ≥ 1.
    public var count: Int

    /// The whole run (`1/1`).
    public static let whole = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// Parses the flag value `i/N` (1-based i); the error names `--shard` and says what to write.
    public init(flag s: String) throws(FlagError) {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw FlagError("--shard expects i/N with whole numbers, e.g. --shard 1/2 and --shard 2/2 (got '\(s)')")
        }
        guard n >= 1 else { throw FlagError("--shard i/N needs N >= 1 shards (got '\(s)')") }
        guard (1...n).contains(i) else {
            throw FlagError("--shard i/N counts from 1: i must be in 1...\(n) (got '\(s)')")
        }
        self.init(index: i - 1, count: n)
    }

    /// `i/N` with the 1-based i, as the flag is written.
    public var description: String { "\(index + 1)/\(count)" }

    /// True when dataset request `k` (0-based) belongs to this shard.
    public func owns(_ k: Int) -> Bool { k % count == index }

    /// The dataset indices of this shard's requests among `total`, ascending.
    public func indices(total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }
}
