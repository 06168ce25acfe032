import Foundation

/// Pruning of labels whose every completion is worse than a known design, for final
/// objectives that are not the labels' dimensions themselves: EDAP (the product of three),
/// or a subset of them (a dimension carried only for its budget).
///
/// A label `v`, completed by any choice of the later layers, reaches at least `low = v +
/// tail` in every dimension (`ParetoDP.tails`); each final objective is non-decreasing in the
/// dimensions, so it reaches at least `f(low)`. When a known complete design (an incumbent,
/// within every budget) is at most that in every final objective and below it in one, every
/// completion of the label is dominated, and the label is dropped. That is exact: no design
/// of the final frontier is lost. Products are compared in doubles with a relative margin of
/// 1e-12, so that rounding can never make a tie look like a win.
struct BoundPruning: Sendable {
    /// A final objective as a function of the label dimensions.
    enum Objective: Sendable, Hashable {
        case dimension(Int)
        case product([Int])
    }

    let objectives: [Objective]
    /// The incumbents' final objective values, Pareto-filtered.
    private let incumbents: [[Double]]
    /// Two objectives: incumbents sorted by the first, and the running minimum of the second.
    private let firstSorted: [Double], runningSecond: [Double]

    static let margin = 1 - 1e-12

    /// Whether each objective is a product.
    private let isProduct: [Bool]

    init(objectives: [Objective], incumbents: [ObjectiveVector]) {
        precondition((1...4).contains(objectives.count))
        self.objectives = objectives
        isProduct = objectives.map { if case .product = $0 { return true } else { return false } }
        var values = incumbents.map { v in objectives.map { Self.value($0, v) } }
        values.sort { $0.lexicographicallyPrecedes($1) }
        var pareto: [[Double]] = []
        for v in values where !pareto.contains(where: { zip($0, v).allSatisfy { $0 <= $1 } }) { pareto.append(v) }
        self.incumbents = pareto
        if objectives.count == 2 {
            firstSorted = pareto.map { $0[0] }
            var best = Double.infinity
            runningSecond = pareto.map { best = min(best, $0[1]); return best }
        } else {
            firstSorted = []
            runningSecond = []
        }
    }

    static func value(_ o: Objective, _ v: ObjectiveVector) -> Double {
        switch o {
        case let .dimension(d): return Double(v[d])
        case let .product(ds): return ds.reduce(1.0) { $0 * Double(v[$1]) }
        }
    }

    var isEmpty: Bool { incumbents.isEmpty }

    /// Incumbents (in first-objective order) whose first objective is at most `x` (`strict`: below).
    private func prefix(_ x: Double, strict: Bool) -> Int {
        var lo = 0, n = firstSorted.count
        while n > 0 {
            let half = n / 2
            let inside = strict ? firstSorted[lo + half] < x : firstSorted[lo + half] <= x
            if inside { lo += half + 1; n -= half + 1 } else { n = half }
        }
        return lo
    }

    /// Whether an incumbent dominates every design that reaches at least `low`: it is at most
    /// the bound in every objective (a product: below it, with the margin) and below it in one.
    @inlinable
    func prunes(_ low: ObjectiveVector) -> Bool {
        // Identity values compare exactly as doubles below 2^52; beyond, no pruning.
        if any(low .> ObjectiveVector(repeating: 1 << 52)) { return false }
        var bounds = SIMD4<Double>(repeating: 0)
        for j in objectives.indices { bounds[j] = Self.value(objectives[j], low) }
        if objectives.count == 2 {
            let p0 = isProduct[0], p1 = isProduct[1]
            // The strict limit of an objective: a product must be below the bound with the margin.
            let limit0 = p0 ? bounds[0] * Self.margin : bounds[0]
            let limit1 = p1 ? bounds[1] * Self.margin : bounds[1]
            // At most the bound in the first (a product: below), and below it in the second.
            let n = prefix(limit0, strict: p0)
            if n > 0 && runningSecond[n - 1] < limit1 { return true }
            // Or below it in the first and at most it in the second.
            if !p1 {
                let m = prefix(limit0, strict: true)
                if m > 0 && runningSecond[m - 1] <= limit1 { return true }
            }
            return false
        }
        for u in incumbents {
            var strict = false, dominated = true
            for j in objectives.indices {
                if isProduct[j] {
                    if u[j] >= bounds[j] * Self.margin { dominated = false; break }
                    strict = true
                } else {
                    if u[j] > bounds[j] { dominated = false; break }
                    if u[j] < bounds[j] { strict = true }
                }
            }
            if dominated && strict { return true }
        }
        return false
    }
}
