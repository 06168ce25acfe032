import Foundation

/// A design of a search's result: its per-layer option indices (`LayerOptionSpace` order),
/// its totals and its accuracy estimate. Compact, so that a frontier of tens of thousands of
/// designs stays small; `design(options:)` gives the layer designs.
public struct FrontierDesign: Sendable, Hashable {
    public var path: [Int32]
    public var totals: DesignTotals
    public var accuracy: DesignAccuracy?
    /// The exact method's fixed-point sums of its label dimensions, which the final filter
    /// compares (so that the result is exact on the same sums as the search); nil otherwise.
    public var searchSums: ObjectiveVector?
    /// The chip stage's figures (time-shared chips only).
    public var chip: ChipFigures?

    public init(path: [Int32], totals: DesignTotals, accuracy: DesignAccuracy? = nil, searchSums: ObjectiveVector? = nil) {
        self.path = path
        self.totals = totals
        self.accuracy = accuracy
        self.searchSums = searchSums
    }

    /// The path, and the chip size and reprogramming policy when the chip stage made variants.
    var identity: [Int32] {
        guard let chip else { return path }
        return path + [Int32(chip.chipCrossbars), Int32(chip.policy.map { ReprogramPolicy.allCases.firstIndex(of: $0)! } ?? -1),
                       Int32(chip.stuckColumns ?? -1), Int32(chip.stuckFraction.map(ReprogrammingSettings.steps256) ?? -1)]
    }

    public func design(options: [LayerOptionSpace]) -> Design {
        Design(layers: zip(path, options).map { $1.design(Int($0)) })
    }
}

extension Constraints {
    /// Constraint names a design with these totals exceeds (`area_mm2`, `latency_ms`,
    /// `energy_uj`, `accuracy_drop_pct`; the last only when the drop is known).
    public func violations(_ totals: DesignTotals, dropPct: Double?) -> [String] {
        var out: [String] = []
        if let a = areaMM2, totals.areaMM2 > a { out.append("area_mm2") }
        if let l = latencyMS, totals.latencyMS > l { out.append("latency_ms") }
        if let e = energyUJ, totals.energyUJ > e { out.append("energy_uj") }
        if let d = accuracyDropPct, let dropPct, dropPct > d { out.append("accuracy_drop_pct") }
        return out
    }
}

/// The final nondominated filter over evaluated designs, and the evenly spread subset.
public enum ParetoFront {
    /// The value of a metric for a design, report units (the accuracy drop from the estimate).
    public static func value(_ metric: Metric, _ totals: DesignTotals, _ accuracy: DesignAccuracy?) -> Double {
        if metric == .accuracyDrop {
            guard let accuracy else { preconditionFailure("the accuracy objective needs estimated designs") }
            return accuracy.dropPct
        }
        guard let v = totals[metric] else { preconditionFailure("no total of \(metric)") }
        return v
    }

    /// The value of an objective for a design (smaller is better): accuracy counts as its drop,
    /// a product (EDAP) multiplies its metrics' values.
    public static func value(_ objective: Objective, _ totals: DesignTotals, _ accuracy: DesignAccuracy?) -> Double {
        guard objective.isProduct else { return value(objective.metrics[0], totals, accuracy) }
        return objective.metrics.reduce(1.0) { $0 * value($1, totals, accuracy) }
    }

    public static func value(_ objective: Objective, _ d: FrontierDesign) -> Double {
        if let figure = objective.chipFigure { return chipValue(figure, d.chip) }
        return value(objective, d.totals, d.accuracy)
    }

    /// A chip objective's value: 0 before the chip stage (or for a resident chip).
    static func chipValue(_ figure: Objective.ChipFigure, _ chip: ChipFigures?) -> Double {
        switch figure {
        case .writes: return chip?.writesPerInference ?? 0
        case .wear: return chip?.maxCellWritesPerInference ?? 0
        }
    }

    /// The objectives in order of first mention, without `edap` when energy, latency and area
    /// are all objectives (a design nondominated in those three is nondominated with EDAP too).
    static func compared(_ objectives: [Objective]) -> [Objective] {
        var out: [Objective] = []
        for o in objectives where !out.contains(o) { out.append(o) }
        if [.energy, .latency, .area].allSatisfy(out.contains) { out.removeAll { $0 == .edap } }
        return out.isEmpty ? [.energy, .latency, .area] : out
    }

    /// A double as an `Int64` of the same order (for the integer dominance filter).
    @inlinable
    static func orderedKey(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: (x == 0 ? 0 : x).bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    /// Designs no other design weakly dominates on `objectives`; equal vectors keep the design
    /// with the smallest path, duplicates of a path (and reprogramming policy) are dropped. Sorted by the objective vector
    /// (objectives in the order given), then path.
    public static func filter(_ designs: [FrontierDesign], objectives: [Objective],
                              value: (Objective, FrontierDesign) -> Double = value) -> [FrontierDesign] {
        var seen = Set<[Int32]>()
        let unique = designs.indices.filter { seen.insert(designs[$0].identity).inserted }
        let dims = compared(objectives)
        let keys = unique.map { i -> ObjectiveVector in
            var v = ObjectiveVector.zero
            for (d, o) in dims.enumerated() { v[d] = orderedKey(value(o, designs[i])) }
            return v
        }
        let order = unique.indices.sorted { a, b in
            lexicographicOrder(keys[a], keys[b]) ?? designs[unique[a]].path.lexicographicallyPrecedes(designs[unique[b]].path)
        }
        var filter = DominanceFilter(dims: dims.count, secondValues: dims.count == 4 ? keys.map { $0[1] } : [])
        let kept = order.filter { filter.admit(keys[$0]) }.map { designs[unique[$0]] }
        let requested = objectives.isEmpty ? dims : objectives
        let vectors = kept.map { d in requested.map { value($0, d) } }
        return kept.indices.sorted { a, b in
            vectors[a] != vectors[b] ? vectors[a].lexicographicallyPrecedes(vectors[b])
                : kept[a].path.lexicographicallyPrecedes(kept[b].path)
        }.map { kept[$0] }
    }

    /// `count` designs of `frontier` spread evenly over it, in frontier order: first the
    /// design with the least value of each objective, then, one at a time, the design farthest
    /// from those chosen (the largest least Euclidean distance, every objective scaled to 0...1
    /// over the frontier, on a log scale where its values are positive and span more than a
    /// decade); ties go to the earlier design.
    public static func spread(_ frontier: [FrontierDesign], objectives: [Objective], count: Int,
                              value: (Objective, FrontierDesign) -> Double = value) -> [FrontierDesign] {
        guard frontier.count > count else { return frontier }
        let dims = compared(objectives)
        var columns = dims.map { o in frontier.map { value(o, $0) } }
        for (d, column) in columns.enumerated() {
            let lo = column.min()!, hi = column.max()!
            let logScale = lo > 0 && hi / lo > 10
            let (a, b) = logScale ? (log(lo), log(hi)) : (lo, hi)
            columns[d] = column.map { v in b > a ? ((logScale ? log(v) : v) - a) / (b - a) : 0 }
        }
        var chosen: [Int] = []
        for column in columns {
            let best = column.indices.min { (column[$0], $0) < (column[$1], $1) }!
            if !chosen.contains(best) && chosen.count < count { chosen.append(best) }
        }
        var nearest = [Double](repeating: .infinity, count: frontier.count)
        func update(_ c: Int) {
            for i in frontier.indices {
                var d2 = 0.0
                for column in columns { let x = column[i] - column[c]; d2 += x * x }
                nearest[i] = min(nearest[i], d2)
            }
        }
        chosen.forEach(update)
        while chosen.count < count {
            var best = -1
            for i in frontier.indices where best < 0 || nearest[i] > nearest[best] { best = i }
            chosen.append(best)
            update(best)
        }
        return chosen.sorted().map { frontier[$0] }
    }
}
