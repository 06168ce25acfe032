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
    /// Labels every completion of which a known design dominates are dropped.
    var bound: BoundPruning? = nil

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
        let tails = self.tails(states: states)
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
            let (grid, pruning) = (epsilon, bound)
            // Fewer new states than threads (exact mode): each state's runs are split over the
            // threads and the parts' frontiers merged, which gives the same frontier.
            let split = grid == nil && keys.count < threads ? threads : 1
            let jobs = keys.indices.flatMap { s -> [(key: Int, runs: [DPRun], tail: ObjectiveVector)] in
                let parts = min(split, max(1, runs[s].count / 8))
                return (0..<parts).map { p in (s, stride(from: p, to: runs[s].count, by: parts).map { runs[s][$0] }, tails[i][keys[s]]!) }
            }
            let partial = ParallelMap.map(jobs, threads: threads) { job in
                DPLabel.mergeFilter(states: previous, runs: job.runs, dims: dims, budgets: budgets, tail: job.tail, grid: grid, bound: pruning)
            }
            var kept = [[DPLabel]](repeating: [], count: keys.count)
            var parts = [[[DPLabel]]](repeating: [], count: keys.count)
            for (job, labels) in zip(jobs, partial) { parts[job.key].append(labels) }
            for s in keys.indices { kept[s] = parts[s].count == 1 ? parts[s][0] : DPLabel.merge(parts[s], dims: dims) }
            let ranked = DPState.ranked(keys: keys, labels: kept)
            frontier = ranked.states
            links.append(ranked.links)
            labelsPerLayer.append(ranked.links.count)
            progress?(i, ranked.links.count)
            if ranked.links.count > maxLabels { throw LabelLimit(layer: i, labels: ranked.links.count) }
        }
        // The final states merge into one frontier; a label's rank stands for its whole path.
        let finalRuns = frontier.indices.map { DPRun(state: $0, option: 0, cost: .zero) }
        let final = DPLabel.mergeFilter(states: frontier, runs: finalRuns, dims: dims, budgets: budgets, tail: .zero,
                                        grid: epsilon, bound: bound)
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

    /// `tails[i][key]`: per dimension, the least that the layers after layer i add to a label
    /// of state `key` (live channel counts after layer i), each dimension minimised on its own:
    /// a backward pass over every state the channel choices allow. Budgets and bounds compare
    /// `label + tail`, which every completion of the label reaches at least.
    func tails(states: ChannelStates) -> [[[Int]: ObjectiveVector]] {
        let count = workload.layers.count
        var result = [[[Int]: ObjectiveVector]](repeating: [:], count: count)
        var next: [[Int]: ObjectiveVector] = [[]: .zero]
        for i in stride(from: count - 1, through: 0, by: -1) {
            result[i] = next
            let before = states.liveBefore(i), after = states.liveAfter[i]
            let own = states.entityOfLayer[i]
            let ownPosition = before.firstIndex(of: own)
            let inputPosition = workload.layers[i].inputIndex.map { before.firstIndex(of: states.entityOfLayer[$0])! }
            let inputChoices = workload.inChannelChoices(of: i)
            var positions = [Int](repeating: 0, count: states.choices.count)
            for (p, e) in after.enumerated() { positions[e] = p }
            let ownAfter = after.firstIndex(of: own)
            var current: [[Int]: ObjectiveVector] = [:]
            // Every combination of the live entities' channel choices before layer i.
            var keys: [[Int]] = [[]]
            for e in before { keys = keys.flatMap { k in states.choices[e].map { k + [$0] } } }
            for key in keys {
                let k = inputPosition.map { inputChoices.firstIndex(of: key[$0])! } ?? 0
                var newKey = [Int](repeating: 0, count: after.count)
                for (p, e) in before.enumerated() where after.contains(e) { newKey[positions[e]] = key[p] }
                var best = ObjectiveVector(repeating: .max)
                for o in layers[i].options[k] {
                    let channels = layers[i].outChannels[Int(o)]
                    if let p = ownPosition, key[p] != channels { continue }
                    if let q = ownAfter { newKey[q] = channels }
                    guard let rest = next[newKey] else { continue }
                    best = pointwiseMin(best, layers[i].costs[k][Int(o)] &+ rest)
                }
                if best != ObjectiveVector(repeating: .max) { current[key] = best }
            }
            next = current
        }
        return result
    }
}

/// The grid of the epsilon mode: a candidate is dropped when a kept label's box is at most its
/// own in every dimension but the first (candidates come in the order of the first, so a kept
/// label is at most a candidate there anyway).
///
/// - Relative dimensions: `box = floor(log(v + s[i][d]) / log(1 + delta))`, `s[i][d]` a lower
///   bound of what the layers after layer i add. A kept label in a box at most a candidate's is
///   at most `1 + delta` times it in `v + s`, hence in the final total; over the layers and the
///   final merge that compounds to `(1 + delta)^(layers + 1) = 1 + epsilon`.
/// - Absolute dimensions (the accuracy drop): `box = floor(v / g)` with `g = tolerance /
///   (layers + 1)`; a kept label is at most `g` above a candidate, and those errors add up to
///   at most `tolerance`.
///
/// So every design of the exact frontier has a reported design within a factor `1 + epsilon`
/// of it in every relative dimension and within `tolerance` in every absolute one (unless a
/// budget cut that design's cover).
struct EpsilonGrid: Sendable {
    let epsilon: Double
    let logBase: Double
    /// Per dimension: the absolute box width (fixed-point units), or nil for a relative dimension.
    let absoluteWidth: [Double?]

    /// The grid for `layers` layers (merges: one per layer and the final one).
    init(epsilon: Double, layers: Int, absoluteTolerance: [Double?] = [nil, nil, nil, nil]) {
        precondition(epsilon > 0 && epsilon.isFinite)
        self.epsilon = epsilon
        let merges = Double(layers + 1)
        logBase = log1p(pow(1 + epsilon, 1 / merges) - 1)
        absoluteWidth = absoluteTolerance.map { $0.map { max(1, $0 / merges) } }
    }

    /// The box of `v` whose later layers add at least `offset` (dimension 0 unused:
    /// candidates come in its order).
    @inlinable
    func box(_ v: ObjectiveVector, offset: ObjectiveVector, dims: Int) -> ObjectiveVector {
        var b = ObjectiveVector.zero
        for d in 1..<dims {
            if let g = absoluteWidth[d] {
                b[d] = Int64((Double(v[d]) / g).rounded(.down))
            } else {
                let x = Double(v[d]) + Double(offset[d])
                b[d] = x > 0 ? Int64((log(x) / logBase).rounded(.down)) : Int64.min
            }
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
                            tail: ObjectiveVector = .zero, grid: EpsilonGrid?, bound: BoundPruning? = nil) -> [DPLabel] {
        // A run whose cost another run of the same state weakly dominates (ties: the smaller
        // option) adds only candidates that run's candidates dominate.
        var useful: [DPRun] = []
        for r in runs where !runs.contains(where: { q in
            q.state == r.state && all(q.cost .<= r.cost) && (q.cost != r.cost || q.option < r.option)
        }) { useful.append(r) }
        /// Whether a candidate is within the budgets and not beaten by an incumbent on its way.
        func viable(_ v: ObjectiveVector) -> Bool {
            let low = v &+ tail
            return all(low .<= budgets) && !(bound?.prunes(low) ?? false)
        }
        func box(_ v: ObjectiveVector) -> ObjectiveVector { grid?.box(v, offset: tail, dims: dims) ?? v }
        // Four dimensions cut the second one into buckets at quantiles of the viable candidates'
        // values; the flags spare the merge a second check.
        var second: [Int64] = []
        var flags: [[Bool]] = []
        if dims == 4 {
            flags = useful.map { run in
                states[run.state].labels.map { l in
                    let v = l.v &+ run.cost
                    guard viable(v) else { return false }
                    second.append(box(v)[1])
                    return true
                }
            }
        }
        func head(_ r: Int, from position: Int) -> Head? {
            let run = useful[r], state = states[run.state], labels = state.labels
            var p = position
            while p < labels.count {
                let v = labels[p].v &+ run.cost
                if flags.isEmpty ? viable(v) : flags[r][p] {
                    return Head(label: DPLabel(v: v, parent: state.ranks[p], option: run.option), run: r, position: p)
                }
                p += 1
            }
            return nil
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

    /// The frontier of the union of frontiers (each in `precedes` order), in `precedes` order.
    static func merge(_ lists: [[DPLabel]], dims: Int) -> [DPLabel] {
        let all = lists.flatMap { $0 }.sorted(by: precedes)
        var filter = DominanceFilter(dims: dims, secondValues: dims == 4 ? all.map { $0.v[1] } : [])
        return all.filter { filter.admit($0.v) }
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
