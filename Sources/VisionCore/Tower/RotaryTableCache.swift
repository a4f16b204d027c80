import Foundation

/// The `table` variant's cache of plans per grid list (as vLLM memoises per `(t, h, w)`): at most
/// `capacity` entries, the oldest dropped first.
final class RotaryTableCache: @unchecked Sendable {
    static let capacity = 16
    private let lock = NSLock()
    private var entries: [(key: [GridTHW], plan: TowerPlan)] = []

    func lookup(_ grids: [GridTHW]) -> TowerPlan? {
        lock.lock()
        defer { lock.unlock() }
        return entries.first { $0.key == grids }?.plan
    }

    func store(_ grids: [GridTHW], _ plan: TowerPlan) {
        lock.lock()
        defer { lock.unlock() }
        if entries.contains(where: { $0.key == grids }) { return }
        if entries.count >= Self.capacity { entries.removeFirst() }
        entries.append((grids, plan))
    }
}
