import Foundation

/// The search's dynamic programme over layers: after each layer, per state of live channel
/// counts (`ChannelStates`), the Pareto set of the partial designs' objective sums (labels);
/// at the end the frontier over all states, with each design rebuilt from back-pointers.
///
/// Sums are fixed-point integers (`FixedPoint`), so they do not depend on the order of
/// addition and a label pruned part-way can never tie with its dominator at the end. Every
/// per-layer cost is non-negative, so a label over a budget stays over it and is dropped.
/// Equal objective vectors keep the design whose option path is lexicographically smallest:
/// labels are ranked by path after every layer, and (parent rank, option) orders paths.
///
/// With `epsilon`, a candidate is also dropped when a kept label is within a factor
/// `1 + delta` of it in every dimension, measured on `value + suffix lower bound` (what is
/// still to come can only make the totals larger): see `EpsilonGrid` for the guarantee.
struct ParetoDP: Sendable {
    /// One layer's options and their costs.
    struct LayerTable: Sendable {
        /// Output channels of every option, by option index.
        var outChannels: [Int]
        /// `costs[k][o]`: option o at the k-th input-channel choice of the layer.
        var costs: [[ObjectiveVector]]
        /// `options[k]`: the options worth extending at input choice k (the others are
        /// dominated within their cell), ascending.
        var options: [[Int32]]

        /// A table whose options are pruned within their cell (input choice, output channels):
        /// an option that another of the same cell weakly dominates in the first `dims`
        /// dimensions (ties: the smaller index) extends every label to a candidate that the
        /// other's extension dominates, so dropping it is exact.
        init(outChannels: [Int], dims: Int, costs: [[ObjectiveVector]]) {
            self.outChannels = outChannels
            self.costs = costs
            var mask = ObjectiveVector.zero
            for d in 0..<dims { mask[d] = -1 }
            options = costs.map { row in
                var kept: [Int32] = []
                for c in Set(outChannels).sorted() {
                    let cell = row.indices.filter { outChannels[$0] == c }
                        .sorted { a, b in lexicographicOrder(row[a] & mask, row[b] & mask) ?? (a < b) }
                    var filter = DominanceFilter(dims: dims, secondValues: cell.map { row[$0][1] })
                    for o in cell where filter.admit(row[o] & mask) { kept.append(Int32(o)) }
                }
                return kept.sorted()
            }
        }
    }

    let workload: Workload
    let layers: [LayerTable]
    /// Objective dimensions carried (1...4).
    let dims: Int
    /// Inclusive budgets per dimension (`Int64.max`: none).
    let budgets: ObjectiveVector
    let epsilon: EpsilonGrid?
    /// Most labels after any layer; beyond it the search stops with `LabelLimit`.
    let maxLabels: Int

    struct Result: Sendable {
        /// The frontier: objective vectors in lexicographic order, each with its option path.
        var frontier: [(values: ObjectiveVector, path: [Int32])]
        /// Labels kept after each layer, over all states.
        var labelsPerLayer: [Int]
    }

    /// The search stopped because a layer's labels passed `maxLabels`.
    struct LabelLimit: Error, Sendable {
        var layer: Int
        var labels: Int
    }

    func run(threads: Int, progress: ((Int, Int) -> Void)? = nil) throws(LabelLimit) -> Result {
        let states = ChannelStates(workload: workload)
        // The empty design: one state with no live channels and one label of rank 0.
        var frontier = [DPState(key: [], labels: [DPLabel(v: .zero, parent: 0, option: 0)], ranks: [0])]
        // links[i][r]: the parent rank and option of the layer-i label of rank r.
        var links: [[DPLink]] = []
        var labelsPerLayer: [Int] = []
        for (i, layer) in workload.layers.enumerated() {
            let before = states.liveBefore(i), after = states.liveAfter[i]
            let own = states.entityOfLayer[i]
            let ownPosition = before.firstIndex(of: own)
            let inputPosition = layer.inputIndex.map { before.firstIndex(of: states.entityOfLayer[$0])! }
            let inputChoices = workload.inChannelChoices(of: i)
            let table = layers[i]
            // Every (state, option) extends that state's labels at one cost into one new state.
            var keyIndex: [[Int]: Int] = [:]
            var keys: [[Int]] = [], runs: [[DPRun]] = []
            var positions = [Int](repeating: 0, count: states.choices.count)
            for (p, e) in after.enumerated() { positions[e] = p }
            for (s, state) in frontier.enumerated() {
                let key = state.key
                let k = inputPosition.map { inputChoices.firstIndex(of: key[$0])! } ?? 0
                var newKey = [Int](repeating: 0, count: after.count)
                for (p, e) in before.enumerated() where after.contains(e) { newKey[positions[e]] = key[p] }
                for o in table.options[k] {
                    let channels = table.outChannels[Int(o)]
                    if let p = ownPosition, key[p] != channels { continue }
                    if let q = after.firstIndex(of: own) { newKey[q] = channels }
                    let run = DPRun(state: s, option: o, cost: table.costs[k][Int(o)])
                    if let index = keyIndex[newKey] { runs[index].append(run) } else {
                        keyIndex[newKey] = keys.count
                        keys.append(newKey)
                        runs.append([run])
                    }
                }
            }
            let previous = frontier
            let grid = epsilon.map { ($0, i) }
            let kept = ParallelMap.map(runs, threads: threads) { runs in
                DPLabel.mergeFilter(states: previous, runs: runs, dims: dims, budgets: budgets, grid: grid)
            }
            let ranked = DPState.ranked(keys: keys, labels: kept)
            frontier = ranked.states
            links.append(ranked.links)
            labelsPerLayer.append(ranked.links.count)
            progress?(i, ranked.links.count)
            if ranked.links.count > maxLabels { throw LabelLimit(layer: i, labels: ranked.links.count) }
        }
        // The final states merge into one frontier; a label's rank stands for its whole path.
        let finalRuns = frontier.indices.map { DPRun(state: $0, option: 0, cost: .zero) }
        let final = DPLabel.mergeFilter(states: frontier, runs: finalRuns, dims: dims, budgets: budgets,
                                        grid: epsilon.map { ($0, workload.layers.count) })
        let points = final.map { label -> (values: ObjectiveVector, path: [Int32]) in
            var path = [Int32](repeating: 0, count: workload.layers.count)
            var rank = label.parent
            for i in workload.layers.indices.reversed() {
                path[i] = links[i][Int(rank)].option
                rank = links[i][Int(rank)].parent
            }
            return (label.v, path)
        }
        return Result(frontier: points, labelsPerLayer: labelsPerLayer)
    }
}

/// The relative grid of the epsilon mode. Dimension d of a label after layer i is compared as
/// `box = floor(log(v + s[i][d]) / log(1 + delta))`, `s[i][d]` a lower bound of what layers
/// after i add to it. Two labels in the same box, or one in a box at most the other's in every
/// dimension, differ by at most a factor `1 + delta` in `v + s`, hence in every final total.
/// Over the layers and the final merge that compounds to `(1 + delta)^(layers + 1)`, which is
/// `1 + epsilon`: every design of the exact frontier has a reported design within a factor
/// `1 + epsilon` of it in every dimension (unless a budget cut that design's cover).
struct EpsilonGrid: Sendable {
    let epsilon: Double
    let logBase: Double
    /// `offsets[i][d]`, fixed-point units; `offsets[layers]` is zero.
    let offsets: [[Double]]

    init(epsilon: Double, offsets: [[Double]]) {
        precondition(epsilon > 0 && epsilon.isFinite)
        self.epsilon = epsilon
        self.offsets = offsets
        let delta = pow(1 + epsilon, 1 / Double(offsets.count)) - 1
        logBase = log1p(delta)
    }

    /// The box of `v` after layer `layer` (dimension 0 unused: candidates come in its order).
    @inlinable
    func box(_ v: ObjectiveVector, layer: Int, dims: Int) -> ObjectiveVector {
        var b = ObjectiveVector.zero
        let s = offsets[layer]
        for d in 1..<dims {
            let x = Double(v[d]) + s[d]
            b[d] = x > 0 ? Int64((log(x) / logBase).rounded(.down)) : Int64.min
        }
        return b
    }
}

/// A partial design: fixed-point objective sums, and the previous layer's label it extends by
/// one option. Labels of a layer are ranked by option path, so `parent` (a rank) and `option`
/// stand for the whole path, and (parent, option) orders paths lexicographically.
struct DPLabel: Sendable {
    var v: ObjectiveVector
    var parent: Int32
    var option: Int32

    /// The order of labels and of the frontier: objective vector, then option path.
    @inlinable
    static func precedes(_ a: DPLabel, _ b: DPLabel) -> Bool {
        if let order = lexicographicOrder(a.v, b.v) { return order }
        if a.parent != b.parent { return a.parent < b.parent }
        return a.option < b.option
    }
}

/// The parent rank and option of a ranked label, to rebuild option paths at the end.
struct DPLink: Sendable {
    var parent: Int32
    var option: Int32
}

/// One DP state: a live-channel key, its labels in `precedes` order and each label's path rank.
struct DPState: Sendable {
    var key: [Int]
    var labels: [DPLabel]
    var ranks: [Int32]

    /// States of the new keys, with every label ranked by (parent, option), i.e. by path, over
    /// all states; empty states are dropped. `links` is indexed by rank.
    static func ranked(keys: [[Int]], labels: [[DPLabel]]) -> (states: [DPState], links: [DPLink]) {
        var order: [(path: Int64, state: Int32, position: Int32)] = []
        order.reserveCapacity(labels.reduce(0) { $0 + $1.count })
        for (k, list) in labels.enumerated() {
            for (p, label) in list.enumerated() {
                order.append((Int64(label.parent) << 32 | Int64(label.option), Int32(k), Int32(p)))
            }
        }
        order.sort { $0.path < $1.path }
        var ranks = labels.map { [Int32](repeating: 0, count: $0.count) }
        var links: [DPLink] = []
        links.reserveCapacity(order.count)
        for (r, e) in order.enumerated() {
            ranks[Int(e.state)][Int(e.position)] = Int32(r)
            let label = labels[Int(e.state)][Int(e.position)]
            links.append(DPLink(parent: label.parent, option: label.option))
        }
        let states = keys.indices.filter { !labels[$0].isEmpty }.map {
            DPState(key: keys[$0], labels: labels[$0], ranks: ranks[$0])
        }
        return (states, links)
    }
}

/// A state's labels, each extended by one option at one cost: a run in `precedes` order.
struct DPRun: Sendable {
    var state: Int
    var option: Int32
    var cost: ObjectiveVector
}

extension DPLabel {
    /// The next candidate of a run during a merge.
    private struct Head {
        var label: DPLabel
        var run: Int
        var position: Int
    }

    /// The candidates of `runs` within the budgets that no other such candidate weakly
    /// dominates, in `precedes` order; equal vectors keep the smallest path. With `grid`, a
    /// candidate whose box is weakly dominated by a kept label's box is dropped too.
    ///
    /// The runs are merged in `precedes` order, in which every dominator comes first, so a
    /// candidate survives iff no kept one dominates it in the other dimensions (`DominanceFilter`).
    static func mergeFilter(states: [DPState], runs: [DPRun], dims: Int, budgets: ObjectiveVector,
                            grid: (EpsilonGrid, Int)?) -> [DPLabel] {
        // A run whose cost another run of the same state weakly dominates (ties: the smaller
        // option) adds only candidates that run's candidates dominate.
        var useful: [DPRun] = []
        for r in runs where !runs.contains(where: { q in
            q.state == r.state && all(q.cost .<= r.cost) && (q.cost != r.cost || q.option < r.option)
        }) { useful.append(r) }
        func head(_ r: Int, from position: Int) -> Head? {
            let run = useful[r], state = states[run.state], labels = state.labels
            var p = position
            while p < labels.count {
                let v = labels[p].v &+ run.cost
                if all(v .<= budgets) {
                    return Head(label: DPLabel(v: v, parent: state.ranks[p], option: run.option), run: r, position: p)
                }
                p += 1
            }
            return nil
        }
        func box(_ v: ObjectiveVector) -> ObjectiveVector { grid.map { $0.0.box(v, layer: $0.1, dims: dims) } ?? v }
        var second: [Int64] = []
        if dims == 4 {
            for run in useful {
                for l in states[run.state].labels {
                    let v = l.v &+ run.cost
                    if all(v .<= budgets) { second.append(box(v)[1]) }
                }
            }
        }
        var filter = DominanceFilter(dims: dims, secondValues: second)
        var heap = useful.indices.compactMap { head($0, from: 0) }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(&heap, i) }
        var kept: [DPLabel] = []
        while let top = heap.first {
            if filter.admit(box(top.label.v)) { kept.append(top.label) }
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
