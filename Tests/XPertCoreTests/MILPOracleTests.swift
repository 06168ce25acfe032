import PropertyBased
import Testing
@testable import XPertCore

/// Brute-force oracles: random small problems whose optimum is found by enumeration.
@Suite("MILP solver: brute-force oracle")
struct MILPOracleTests {

    // MARK: One-hot choice problems (the phase-2 shape)

    /// Options per group (2-5 groups of 2-4 options).
    static let groupsGen = Gen.int(in: 2...4).array(of: 2...5)
    /// Integer costs, `[group][option]`; only the first `options[g]` entries are used.
    static let costsGen = Gen.int(in: -20...20).array(of: 4).array(of: 5)
    /// 1-2 budget rows: weights `[group][option]` and a `<=` limit.
    static let budgetsGen = zip(Gen.int(in: 0...9).array(of: 4).array(of: 5), Gen.int(in: 0...40)).array(of: 1...2)

    @Test("one-hot MILP optimum equals brute-force enumeration (default options: no presolve)")
    func oneHotMatchesBruteForce() async {
        await propertyCheck(count: 300, input: Self.groupsGen, Self.costsGen, Self.budgetsGen, Gen.bool) {
            groups, costs, budgets, maximize in
            let problem = MILPOneHotProblem(
                options: groups, costs: costs, budgets: budgets.map { ($0.0, $0.1) }, maximize: maximize)
            try problem.check()
        }
    }

    // MARK: General small integer programmes

    static let boundsGen = zip(Gen.int(in: -3...1), Gen.int(in: 0...4)).array(of: 3)
    static let objectiveGen = Gen.int(in: -5...5).array(of: 3)
    /// 1-2 rows: coefficients, relation (0 <=, 1 >=, 2 ==, 3 range), right-hand side, range width.
    static let rowsGen = zip(Gen.int(in: -4...4).array(of: 3), Gen.int(in: 0...3), Gen.int(in: -4...8), Gen.int(in: 0...6))
        .array(of: 1...2)

    @Test("bounded integer programmes with <=, >=, == and range rows match enumeration")
    func integerProgrammesMatchBruteForce() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...3), Self.boundsGen, Self.objectiveGen, Self.rowsGen, Gen.bool) {
            n, bounds, objective, rows, maximize in
            var m = MILPModel()
            for j in 0..<n {
                m.addVariable("v\(j)", kind: .integer, lowerBound: Double(bounds[j].0),
                              upperBound: Double(bounds[j].0 + bounds[j].1))
            }
            for (i, row) in rows.enumerated() {
                let terms = (0..<n).map { ($0, Double(row.0[$0])) }
                let rhs = Double(row.2)
                let relation: MILPModel.Relation = switch row.1 {
                case 0: .lessOrEqual(rhs)
                case 1: .greaterOrEqual(rhs)
                case 2: .equal(rhs)
                default: .between(rhs, rhs + Double(row.3))
                }
                m.addConstraint("r\(i)", terms, relation)
            }
            m.setObjective(maximize ? .maximize : .minimize, (0..<n).map { ($0, Double(objective[$0])) }, constant: 3)

            // Enumerate the box.
            var best: Double?
            var point = m.variables.map(\.lowerBound)
            func visit(_ j: Int) {
                if j == n {
                    guard m.isFeasible(point, tolerance: 0) else { return }
                    let value = m.objectiveValue(at: point)
                    if best == nil || (maximize ? value > best! : value < best!) { best = value }
                    return
                }
                var v = m.variables[j].lowerBound
                while v <= m.variables[j].upperBound { point[j] = v; visit(j + 1); v += 1 }
            }
            visit(0)
            try Self.expectOracle(m, best: best)
        }
    }

    /// The model solves (without GLPK's presolver, which can return suboptimal points as
    /// optimal; see `MILPOptions.presolve`; twice) to the oracle's optimum, or is infeasible
    /// when the oracle found nothing.
    static func expectOracle(_ model: MILPModel, best: Double?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for presolve in [false] {
            let r = try MILPSolver.solve(model, options: MILPOptions(presolve: presolve))
            if let best {
                #expect(r.status == .optimal, "presolve \(presolve): \(r)", sourceLocation: sourceLocation)
                #expect(r.objectiveValue == best, "presolve \(presolve): \(r) vs \(best)", sourceLocation: sourceLocation)
                #expect(model.isFeasible(r.values), sourceLocation: sourceLocation)
            } else {
                #expect(r.status == .infeasible, "presolve \(presolve): \(r)", sourceLocation: sourceLocation)
            }
            let again = try MILPSolver.solve(model, options: MILPOptions(presolve: presolve))
            #expect(again.status == r.status && again.values == r.values && again.objectiveValue == r.objectiveValue,
                    "repeat differs", sourceLocation: sourceLocation)
        }
    }

    @Test("the brute-force helper itself: a hand-checked one-hot instance")
    func bruteForceSanity() throws {
        let p = MILPOneHotProblem(
            options: [2, 3], costs: [[5, 1], [4, 2, 9]],
            budgets: [([[1, 7], [1, 5, 0]], 7)], maximize: false)
        // Cost (weight) of each pair: (0,0) 9 (2), (0,1) 7 (6), (0,2) 14 (1), (1,0) 5 (8),
        // (1,1) 3 (12), (1,2) 10 (7); the best within weight 7 is (0,1).
        #expect(p.bruteForce() == 7)
        try p.check()
    }
}

/// A phase-2-shaped problem: pick one option per group, minimise or maximise the summed cost
/// subject to `Σ weight <= limit` budgets.
struct MILPOneHotProblem: Sendable {
    var options: [Int]
    var costs: [[Int]]
    var budgets: [(weights: [[Int]], limit: Int)]
    var maximize: Bool

    init(options: [Int], costs: [[Int]], budgets: [([[Int]], Int)], maximize: Bool) {
        self.options = options
        self.costs = costs
        self.budgets = budgets.map { (weights: $0.0, limit: $0.1) }
        self.maximize = maximize
    }

    /// The MILP and, per group, the indices of its binaries.
    func model() -> (MILPModel, [[Int]]) {
        var m = MILPModel()
        let x = options.enumerated().map { g, count in m.addOneHot(group: "g\(g)", options: count) }
        var objective: [(variable: Int, coefficient: Double)] = []
        for (g, vars) in x.enumerated() {
            for (o, v) in vars.enumerated() { objective.append((v, Double(costs[g][o]))) }
        }
        m.setObjective(maximize ? .maximize : .minimize, objective)
        for (b, budget) in budgets.enumerated() {
            var terms: [(variable: Int, coefficient: Double)] = []
            for (g, vars) in x.enumerated() {
                for (o, v) in vars.enumerated() { terms.append((v, Double(budget.weights[g][o]))) }
            }
            m.addConstraint("budget\(b)", terms, .lessOrEqual(Double(budget.limit)))
        }
        return (m, x)
    }

    /// Cost of a choice (one option index per group), or nil if it breaks a budget.
    func cost(of choice: [Int]) -> Int? {
        for budget in budgets {
            let used = choice.enumerated().reduce(0) { $0 + budget.weights[$1.offset][$1.element] }
            if used > budget.limit { return nil }
        }
        return choice.enumerated().reduce(0) { $0 + costs[$1.offset][$1.element] }
    }

    /// The optimum over all `Π options` choices; nil when none fits the budgets.
    func bruteForce() -> Int? {
        var best: Int?
        var choice = [Int](repeating: 0, count: options.count)
        while true {
            if let c = cost(of: choice), best == nil || (maximize ? c > best! : c < best!) { best = c }
            var g = 0
            while g < options.count {
                choice[g] += 1
                if choice[g] < options[g] { break }
                choice[g] = 0
                g += 1
            }
            if g == options.count { return best }
        }
    }

    /// Checks the solver against ``bruteForce()``: same optimum or both infeasible, a one-hot
    /// point whose cost is the objective, identical repeated solves.
    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (m, x) = model()
        let best = bruteForce()
        try MILPOracleTests.expectOracle(m, best: best.map(Double.init), sourceLocation: sourceLocation)
        let r = try MILPSolver.solve(m)
        guard best != nil, r.hasSolution else { return }
        let choice = x.map { vars in vars.firstIndex { r.values[$0] == 1 } ?? -1 }
        #expect(x.allSatisfy { vars in vars.filter { r.values[$0] == 1 }.count == 1 }, sourceLocation: sourceLocation)
        #expect(cost(of: choice).map(Double.init) == r.objectiveValue, sourceLocation: sourceLocation)
    }
}

/// Deterministic test problems shared by the MILP suites.
enum MILPTestProblems {

    /// SplitMix64: a tiny deterministic generator for test data.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random 0/1 knapsack (maximise value, one capacity row at ~40% of the total weight).
    static func knapsack(items: Int, seed: UInt64) -> MILPModel {
        var rng = SplitMix(state: seed)
        var m = MILPModel()
        let x = (0..<items).map { m.addBinary("item\($0)") }
        let weights = x.map { _ in Double(Int.random(in: 10...60, using: &rng)) }
        let values = weights.map { $0 + Double(Int.random(in: -5...15, using: &rng)) }
        m.addConstraint("capacity", Array(zip(x, weights)), .lessOrEqual((weights.reduce(0, +) * 0.4).rounded()))
        m.maximize(Array(zip(x, values)))
        return m
    }

    /// A random one-hot problem: `groups` groups of 2-6 options, two budget rows.
    static func oneHot(groups: Int, seed: UInt64) -> MILPOneHotProblem {
        var rng = SplitMix(state: seed)
        let options = (0..<groups).map { _ in Int.random(in: 2...6, using: &rng) }
        let costs = options.map { k in (0..<k).map { _ in Int.random(in: 0...50, using: &rng) } }
        let budgets: [([[Int]], Int)] = (0..<2).map { _ in
            let w = options.map { k in (0..<k).map { _ in Int.random(in: 0...20, using: &rng) } }
            return (w, groups * 8)
        }
        return MILPOneHotProblem(options: options, costs: costs, budgets: budgets, maximize: false)
    }
}
