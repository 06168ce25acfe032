extension Phase2Search {
    /// Extreme points and an epsilon grid over k >= 3 metrics: the nondominated designs of a
    /// sample of trade-offs, deduplicated by option path.
    ///
    /// The extremes minimise each metric first, then the others in sweep order. Each secondary
    /// metric `sweep[j]` (j >= 1) gets `levels` epsilon values from its own minimum (its extreme)
    /// up to its largest value at any extreme (the payoff table's range, as in Mavrotas's
    /// AUGMECON, 2009): metrics that pull apart, such as cost and accuracy drop, then get cells
    /// across their whole trade-off, not only near the primary's optimum. Every cell of the grid
    /// is the lexicographic minimum by `sweep` under the cell's bounds. Cells are visited from the loosest, the last
    /// metric's level falling fastest; a cell inside a solved one whose answer meets the cell's
    /// bounds has that answer (an infeasible one stays infeasible), so it needs no solve.
    func grid(_ sweep: [Phase2Metric], _ budgets: [Phase2Bound], _ engine: inout Phase2Engine) throws(Phase2Error) -> [Phase2Candidate] {
        precondition(sweep.count >= 3, "a grid needs three metrics or more")
        var extremes: [Phase2Candidate] = []
        for (j, m) in sweep.enumerated() {
            engine.step = "extreme \(m.rawValue)"
            guard let p = try engine.lexMin([m] + sweep.enumerated().filter { $0.offset != j }.map(\.element), budgets) else {
                return [] // infeasible: no design meets the budgets
            }
            extremes.append(p)
        }
        var pool: [Phase2Candidate] = []
        for p in extremes where !pool.contains(where: { $0.path == p.path }) { pool.append(p) }
        let secondary = Array(sweep.dropFirst())
        let levels = secondary.indices.map { j in
            Self.levels(from: extremes[j + 1].total(secondary[j]), to: extremes.map { $0.total(secondary[j]) }.max()!,
                        count: settings.levels)
        }
        // Solved cells (an epsilon per secondary metric) and their answers, nil when infeasible.
        var solved: [(epsilons: [Double], point: Phase2Candidate?)] = [
            (Array(repeating: .infinity, count: secondary.count), extremes[0]),
        ]
        var cell = levels.map { $0.count - 1 } // level index per secondary metric
        while true {
            let epsilons = cell.indices.map { levels[$0][cell[$0]] }
            let known = solved.first { s in
                zip(s.epsilons, epsilons).allSatisfy { $0 >= $1 }
                    && (s.point.map { p in zip(secondary, epsilons).allSatisfy { p.total($0) <= $1 } } ?? true)
            }
            let point: Phase2Candidate?
            if let known {
                point = known.point
            } else {
                engine.step = "cell " + cell.map(String.init).joined(separator: ",")
                let bounds = budgets + zip(secondary, epsilons).map { Phase2Bound(metric: $0, atMost: $1) }
                point = try engine.lexMin(sweep, bounds)
                solved.append((epsilons, point))
            }
            if let point, !pool.contains(where: { $0.path == point.path }) { pool.append(point) }
            // The next cell: count down, the last metric fastest.
            guard let j = cell.lastIndex(where: { $0 > 0 }) else { break }
            cell[j] -= 1
            for i in (j + 1)..<cell.count { cell[i] = levels[i].count - 1 }
        }
        return pool
    }

    /// `count` values from `low` to `high` (both included, exactly), ascending.
    static func levels(from low: Double, to high: Double, count: Int) -> [Double] {
        guard count > 1, high > low else { return [high] }
        return (0..<count).map { i in
            i == 0 ? low : i == count - 1 ? high : low + (high - low) * Double(i) / Double(count - 1)
        }
    }
}
