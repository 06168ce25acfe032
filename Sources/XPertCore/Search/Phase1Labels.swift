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

/// A phase-1 partial design: fixed-point objective sums, and the previous layer's label it
/// extends by one option. Labels of a layer are ranked by option path, so `parent` (a rank)
/// and `option` stand for the whole path, and (parent, option) orders paths lexicographically.
struct Phase1Label: Sendable {
    var latency: Int64
    var area: Int64
    var drop: Int64
    var parent: Int32
    var option: Int32

    /// The order of labels and of the frontier: latency, area, drop, then option path.
    static func precedes(_ a: Phase1Label, _ b: Phase1Label) -> Bool {
        if a.latency != b.latency { return a.latency < b.latency }
        if a.area != b.area { return a.area < b.area }
        if a.drop != b.drop { return a.drop < b.drop }
        if a.parent != b.parent { return a.parent < b.parent }
        return a.option < b.option
    }
}

/// The parent rank and option of a ranked label, to rebuild option paths at the end.
struct Phase1Link: Sendable {
    var parent: Int32
    var option: Int32
}

/// One DP state: a live-channel key, its labels in `precedes` order and each label's path rank.
struct Phase1State: Sendable {
    var key: [Int]
    var labels: [Phase1Label]
    var ranks: [Int32]

    /// States of the new keys, with every label ranked by (parent, option), i.e. by path, over
    /// all states; empty states are dropped. `links` is indexed by rank.
    static func ranked(keys: [[Int]], labels: [[Phase1Label]]) -> (states: [Phase1State], links: [Phase1Link]) {
        var order: [(path: Int64, state: Int32, position: Int32)] = []
        order.reserveCapacity(labels.reduce(0) { $0 + $1.count })
        for (k, list) in labels.enumerated() {
            for (p, label) in list.enumerated() {
                order.append((Int64(label.parent) << 32 | Int64(label.option), Int32(k), Int32(p)))
            }
        }
        order.sort { $0.path < $1.path }
        var ranks = labels.map { [Int32](repeating: 0, count: $0.count) }
        var links: [Phase1Link] = []
        links.reserveCapacity(order.count)
        for (r, e) in order.enumerated() {
            ranks[Int(e.state)][Int(e.position)] = Int32(r)
            let label = labels[Int(e.state)][Int(e.position)]
            links.append(Phase1Link(parent: label.parent, option: label.option))
        }
        let states = keys.indices.filter { !labels[$0].isEmpty }.map {
            Phase1State(key: keys[$0], labels: labels[$0], ranks: ranks[$0])
        }
        return (states, links)
    }
}

/// A state's labels, each extended by one option at one cost: a run in `precedes` order.
struct Phase1Run: Sendable {
    var state: Int
    var option: Int32
    var latency: Int64
    var area: Int64
    var drop: Int64
}

/// The minimal (area, drop) pairs of kept labels: area ascending, drop strictly descending.
struct Phase1Staircase {
    private var areas: [Int64] = []
    private var drops: [Int64] = []

    /// The number of steps with area at most `area`; the last of them has their lowest drop.
    private func stepsAtMost(_ area: Int64) -> Int {
        var lo = 0, n = areas.count
        while n > 0 {
            let half = n / 2
            let below = areas[lo + half] <= area
            lo = below ? lo + half + 1 : lo
            n = below ? n - half - 1 : half
        }
        return lo
    }

    /// Whether no step has area and drop both at most these; if so, the pair becomes a step.
    mutating func admit(area: Int64, drop: Int64) -> Bool {
        let lo = stepsAtMost(area)
        if lo > 0 && drops[lo - 1] <= drop { return false }
        // Replace the steps the pair covers: one of equal area before it, those after with drop >= its.
        let start = lo > 0 && areas[lo - 1] == area ? lo - 1 : lo
        var end = lo
        while end < drops.count && drops[end] >= drop { end += 1 }
        areas.replaceSubrange(start..<end, with: CollectionOfOne(area))
        drops.replaceSubrange(start..<end, with: CollectionOfOne(drop))
        return true
    }
}

extension Phase1Label {
    /// The next candidate of a run during a merge.
    private struct Head {
        var label: Phase1Label
        var run: Int
        var position: Int
    }

    /// The candidates of `runs` within both budgets that no other such candidate weakly
    /// dominates on (latency, area, drop), in `precedes` order; equal vectors keep the smallest path.
    ///
    /// The runs are merged in `precedes` order, in which every dominator comes first, so a
    /// candidate survives iff no kept one has area and drop both at most its own (`Phase1Staircase`).
    static func mergeFilter(states: [Phase1State], runs: [Phase1Run], areaBudget: Int64?, dropBudget: Int64?) -> [Phase1Label] {
        let areaLimit = areaBudget ?? .max, dropLimit = dropBudget ?? .max
        // A run whose cost another run of the same state weakly dominates (ties: the smaller
        // option) adds only candidates that run's candidates dominate.
        let useful = runs.filter { r in
            !runs.contains { q in
                q.state == r.state && q.latency <= r.latency && q.area <= r.area && q.drop <= r.drop
                    && (q.latency < r.latency || q.area < r.area || q.drop < r.drop || q.option < r.option)
            }
        }
        func head(_ r: Int, from position: Int) -> Head? {
            let run = useful[r], labels = states[run.state].labels
            var p = position
            while p < labels.count {
                let l = labels[p]
                let area = l.area + run.area, drop = l.drop + run.drop
                if area <= areaLimit && drop <= dropLimit {
                    let label = Phase1Label(latency: l.latency + run.latency, area: area, drop: drop,
                                            parent: states[run.state].ranks[p], option: run.option)
                    return Head(label: label, run: r, position: p)
                }
                p += 1
            }
            return nil
        }
        var heap = useful.indices.compactMap { head($0, from: 0) }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(&heap, i) }
        var kept: [Phase1Label] = []
        var stairs = Phase1Staircase()
        while let top = heap.first {
            if stairs.admit(area: top.label.area, drop: top.label.drop) { kept.append(top.label) }
            if let next = head(top.run, from: top.position + 1) {
                heap[0] = next
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(&heap, 0)
        }
        return kept
    }

    private static func siftDown(_ heap: inout [Head], _ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && precedes(heap[l].label, heap[m].label) { m = l }
            if r < heap.count && precedes(heap[r].label, heap[m].label) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
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
