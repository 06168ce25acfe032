/// Per-layer accuracy-drop terms for phase 1, percentage points.
public struct Phase1AccuracyTerms: Sendable {
    /// `dropPct[l][k][o]`: layer l at its k-th input-channel choice (`Workload.inChannelChoices(of:)`)
    /// and option o of `Phase1Options(layer:)`.
    public var dropPct: [[[Double]]]
    /// Labels whose summed drop exceeds this are pruned; terms must then be >= 0, so sums only grow.
    public var budgetPct: Double?

    public init(dropPct: [[[Double]]], budgetPct: Double?) {
        self.dropPct = dropPct
        self.budgetPct = budgetPct
    }

    /// Stops on terms whose shape does not match the workload, that are not finite, or that
    /// are negative under a budget (budget pruning needs sums that only grow).
    func check(workload: Workload) {
        precondition(dropPct.count == workload.layers.count, "accuracy terms: one table per layer")
        for (l, layer) in workload.layers.enumerated() {
            let options = Phase1Options(layer: layer).options.count
            precondition(dropPct[l].count == workload.inChannelChoices(of: l).count,
                         "accuracy terms of layer \(l): one row per input-channel choice")
            for row in dropPct[l] {
                precondition(row.count == options, "accuracy terms of layer \(l): one term per option")
                precondition(row.allSatisfy(\.isFinite), "accuracy terms of layer \(l) must be finite")
                precondition(budgetPct == nil || row.allSatisfy { $0 >= 0 },
                             "accuracy terms of layer \(l) must be >= 0 under a drop budget")
            }
        }
    }
}

extension Phase1Search.Result {
    /// The architectures phase 2 refines, in frontier order. Without `spreadOverAccuracy`: the
    /// first `count` (lowest latency). With it (accuracy is an objective): for `count` drop levels
    /// evenly spaced from the frontier's least to largest drop (one level: the largest), the
    /// lowest-latency point within each level, duplicates removed, then filled up to `count` in
    /// frontier order, so that phase 2 sees architectures across the accuracy range.
    public func architectures(count: Int, spreadOverAccuracy: Bool) -> [Phase1Point] {
        guard count > 0, !frontier.isEmpty else { return [] }
        guard spreadOverAccuracy else { return Array(frontier.prefix(count)) }
        let drops = frontier.map { $0.accuracyDropPct ?? 0 }
        let lowest = drops.min()!, highest = drops.max()!
        let levels = count == 1 ? [highest] : (0..<count).map { j in
            j == count - 1 ? highest : lowest + (highest - lowest) * Double(j) / Double(count - 1)
        }
        // The frontier is in (latency, area, drop, path) order, so the first point within a level is its pick.
        var chosen = Set(levels.compactMap { level in drops.firstIndex { $0 <= level } })
        for i in frontier.indices where chosen.count < count { chosen.insert(i) }
        return chosen.sorted().map { frontier[$0] }
    }
}
