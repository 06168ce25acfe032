import Testing
@testable import XPertCore

/// GLPK 5.0's presolver returned a feasible but suboptimal point as "optimal" on this
/// phase-2 model (four layers, one latency budget; optimum 0 in scaled units, presolve gave
/// 0.0419). Default options solve without presolve and must find the optimum.
@Test func defaultOptionsFindTheOptimumThatPresolveMissed() throws {
    let seed = 343919
    var instance = Phase2Instance(seed: UInt64(seed))
    instance.useSyntheticTable(kind: seed % 4)
    let oracle = Phase2Oracle(instance.table)
    var found = false
    for round in 0..<2 {
        let constraints = instance.budgets(oracle, count: round % 4, below: false)
        let order = [Objective.energy, .latency, .area].shuffled(using: &instance.rng).map { Phase2OracleTests.metric($0) }
        guard round == 1 else { continue }
        let bounds = Phase2Search.bounds(constraints)
        var relevant = order
        for b in bounds where !relevant.contains(b.metric) { relevant.append(b.metric) }
        let model = Phase2Model(table: instance.table, relevant: relevant)
        let milp = model.model(minimizing: order[0], bounds: bounds, excluding: [])
        var best = Double.infinity
        for e in oracle.entries where model.canonical(e.path) == e.path {
            var x = [Double](repeating: 0, count: milp.variables.count)
            for (l, o) in e.path.enumerated() { x[model.variable[l][o]!] = 1 }
            if milp.isFeasible(x, tolerance: 0) { best = min(best, milp.objectiveValue(at: x)) }
        }
        let r = try MILPSolver.solve(milp)
        #expect(r.status == .optimal)
        #expect(r.objectiveValue == best)
        found = true
    }
    #expect(found)
}
