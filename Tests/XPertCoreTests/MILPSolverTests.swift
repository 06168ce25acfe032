import Testing
@testable import XPertCore

/// Small hand-checked LPs and MILPs, solved with and without GLPK's presolver.
@Suite("MILP solver: hand-checked models")
struct MILPSolverTests {

    static let presolveModes = [true, false]

    /// Solves and checks that a returned point is feasible and matches the objective.
    static func solve(_ model: MILPModel, presolve: Bool = true, gap: Double = 0) throws -> MILPResult {
        let result = try MILPSolver.solve(model, options: MILPOptions(relativeGap: gap, presolve: presolve))
        if result.hasSolution {
            #expect(result.values.count == model.variables.count)
            #expect(model.isFeasible(result.values), "infeasible point \(result.values)")
            #expect(result.objectiveValue == model.objectiveValue(at: result.values))
        } else {
            #expect(result.values.isEmpty)
            #expect(result.objectiveValue == nil)
        }
        #expect(result.solveTimeMilliseconds >= 0)
        return result
    }

    @Test("0/1 knapsack: the best pair beats every other packing", arguments: presolveModes)
    func knapsack(presolve: Bool) throws {
        var m = MILPModel()
        let x = (0..<4).map { m.addBinary("item\($0)") }
        m.addConstraint("capacity", [(x[0], 4), (x[1], 6), (x[2], 3), (x[3], 5)], .lessOrEqual(10))
        m.maximize([(x[0], 10), (x[1], 13), (x[2], 7), (x[3], 8)])
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(r.objectiveValue == 23)
        #expect(r.values == [1, 1, 0, 0])
        #expect(r.relativeGap == 0)
        #expect(r.bestBound == 23)
    }

    @Test("continuous LP with a unique vertex optimum", arguments: presolveModes)
    func linearProgramme(presolve: Bool) throws {
        var m = MILPModel()
        let x = m.addVariable("x")
        let y = m.addVariable("y")
        m.addConstraint("a", [(x, 1), (y, 1)], .lessOrEqual(4))
        m.addConstraint("b", [(x, 1), (y, 3)], .lessOrEqual(6))
        m.addConstraint("c", [(x, 1)], .lessOrEqual(3))
        m.maximize([(x, 3), (y, 2)])
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(abs(r.objectiveValue! - 11) < 1e-9)
        #expect(abs(r.values[0] - 3) < 1e-9 && abs(r.values[1] - 1) < 1e-9)
    }

    @Test("equality rows pin the integer solution", arguments: presolveModes)
    func equalityRows(presolve: Bool) throws {
        var m = MILPModel()
        let x = m.addVariable("x", kind: .integer, upperBound: 5)
        let y = m.addVariable("y", kind: .integer)
        let z = m.addVariable("z", kind: .integer)
        m.addConstraint("total", [(x, 1), (y, 1), (z, 1)], .equal(10))
        m.addConstraint("diff", [(x, 1), (y, -1)], .equal(2))
        m.minimize([(x, 1), (y, 2), (z, 3)])
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(r.values == [5, 3, 2])
        #expect(r.objectiveValue == 17)
    }

    @Test("integrality cuts the LP optimum 2.5 down to 2", arguments: presolveModes)
    func integralityMatters(presolve: Bool) throws {
        var m = MILPModel()
        let x = m.addVariable("x", kind: .integer)
        let y = m.addVariable("y", kind: .integer)
        m.addConstraint("", [(x, 2), (y, 2)], .lessOrEqual(5))
        m.maximize([(x, 1), (y, 1)])
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(r.objectiveValue == 2)
    }

    @Test("free variables, ranges, negative bounds and the objective constant", arguments: presolveModes)
    func boundsAndConstant(presolve: Bool) throws {
        var m = MILPModel()
        let x = m.addVariable("x", lowerBound: -.infinity)
        let y = m.addVariable("y", lowerBound: -.infinity, upperBound: 2)
        let k = m.addVariable("k", kind: .integer, lowerBound: -7, upperBound: 7)
        m.addConstraint("floor", [(x, 1), (y, 1)], .greaterOrEqual(-3))
        m.addConstraint("range", [(k, 2)], .between(-5, 9))
        m.addConstraint("free row", [(x, 1), (k, 1)], .between(-.infinity, .infinity))  // ignored
        m.minimize([(x, 1), (k, 1)], constant: 100)
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        // x >= -5 (y <= 2), k >= -2.5 so k = -2: 100 - 5 - 2.
        #expect(abs(r.objectiveValue! - 93) < 1e-9)
        #expect(r.values[2] == -2)
    }

    @Test("binaries fixed by their bounds; zero coefficients; no constraints", arguments: presolveModes)
    func fixedBinariesAndZeros(presolve: Bool) throws {
        var m = MILPModel()
        let a = m.addVariable("a", kind: .binary, lowerBound: 1, upperBound: 1)
        let b = m.addVariable("b", kind: .binary, lowerBound: 0, upperBound: 0)
        let c = m.addBinary("c")
        m.maximize([(a, 1), (b, 5), (c, 2)])
        var r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(r.values == [1, 0, 1])
        #expect(r.objectiveValue == 3)

        m.addConstraint("zeros", [(a, 0), (b, 0), (c, 1)], .lessOrEqual(0))
        r = try Self.solve(m, presolve: presolve)
        #expect(r.values == [1, 0, 0])
        #expect(r.objectiveValue == 1)
    }

    @Test("one-hot groups choose exactly one option each", arguments: presolveModes)
    func oneHotGroups(presolve: Bool) throws {
        var m = MILPModel()
        let first = m.addOneHot(group: "layer0", options: 3)
        let second = m.addOneHot(group: "layer1", options: 2)
        #expect(first == [0, 1, 2] && second == [3, 4])
        #expect(m.constraints.map(\.name) == ["layer0", "layer1"])
        #expect(m.variables.map(\.name) == ["layer0[0]", "layer0[1]", "layer0[2]", "layer1[0]", "layer1[1]"])
        // Cheapest options are 1 and 3, but together they break the budget.
        m.minimize([(0, 5), (1, 1), (2, 4), (3, 1), (4, 3)])
        m.addConstraint("budget", [(1, 6), (3, 6), (0, 1), (2, 2), (4, 1)], .lessOrEqual(8))
        let r = try Self.solve(m, presolve: presolve)
        #expect(r.status == .optimal)
        #expect(r.objectiveValue == 4)  // option 1 (cost 1, weight 6) + option 4 (cost 3, weight 1)
        #expect(r.values == [0, 1, 0, 0, 1])
    }

    @Test("infeasible: LP-infeasible, and LP-feasible but integer-infeasible", arguments: presolveModes)
    func infeasible(presolve: Bool) throws {
        var m = MILPModel()
        let a = m.addBinary("a")
        let b = m.addBinary("b")
        m.addConstraint("too many", [(a, 1), (b, 1)], .greaterOrEqual(3))
        m.minimize([(a, 1)])
        #expect(try Self.solve(m, presolve: presolve).status == .infeasible)

        var lp = MILPModel()
        let x = lp.addVariable("x")
        lp.addConstraint("", [(x, 1)], .lessOrEqual(-1))
        #expect(try Self.solve(lp, presolve: presolve).status == .infeasible)

        var parity = MILPModel()
        let k = parity.addVariable("k", kind: .integer, lowerBound: -10, upperBound: 10)
        parity.addConstraint("half", [(k, 2)], .equal(1))
        parity.minimize([(k, 1)])
        let r = try Self.solve(parity, presolve: presolve)
        #expect(r.status == .infeasible)
        #expect(r.relativeGap == nil && r.bestBound == nil)
    }

    @Test("unbounded: LP, MILP, and an unbounded relaxation with no integer point", arguments: presolveModes)
    func unbounded(presolve: Bool) throws {
        var lp = MILPModel()
        let x = lp.addVariable("x")
        let y = lp.addVariable("y")
        lp.addConstraint("", [(x, 1), (y, -1)], .lessOrEqual(1))
        lp.maximize([(x, 1), (y, 1)])
        #expect(try Self.solve(lp, presolve: presolve).status == .unbounded)

        var mip = lp
        mip.variables[0].kind = .integer
        mip.variables[1].kind = .integer
        #expect(try Self.solve(mip, presolve: presolve).status == .unbounded)

        // max y with y unbounded above, but 2k = 1 has no integer solution: infeasible.
        var trap = MILPModel()
        let k = trap.addVariable("k", kind: .integer)
        let t = trap.addVariable("t")
        trap.addConstraint("half", [(k, 2)], .equal(1))
        trap.maximize([(t, 1)])
        #expect(try Self.solve(trap, presolve: presolve).status == .infeasible)

        // Unbounded direction plus contradictory rows: infeasible, not unbounded.
        var both = MILPModel()
        let u = both.addVariable("u")
        let v = both.addVariable("v")
        both.addConstraint("v >= 1", [(v, 1)], .greaterOrEqual(1))
        both.addConstraint("v <= 0", [(v, 1)], .lessOrEqual(0))
        both.maximize([(u, 1)])
        #expect(try Self.solve(both, presolve: presolve).status == .infeasible)
    }

    @Test("GLPK 5.0 presolver bug: a crossing row singleton is caught and re-solved without presolve")
    func presolveSingletonBug() throws {
        // 1 <= 3x <= 2 has no integer x; GLPK's presolver rounds the implied lower bound 1/3 up
        // to 1, fixes x = 1 and never checks the implied upper bound 2/3.
        var m = MILPModel()
        let x = m.addBinary("x")
        m.addConstraint("singleton", [(x, 3)], .between(1, 2))
        let presolve = MILPOptions(presolve: true)
        var r = try MILPSolver.solve(m, options: presolve)
        #expect(r.status == .infeasible)
        #expect(r.retriedWithoutPresolve)
        #expect(m.firstViolation(at: [1]) != nil && m.firstViolation(at: [0]) != nil)

        // Same trap on a general integer, next to a normal part of the model.
        var g = MILPModel()
        let k = g.addVariable("k", kind: .integer, upperBound: 2)
        let y = g.addBinary("y")
        g.addConstraint("singleton", [(k, 1)], .between(1.5, 1.7))
        g.maximize([(k, 1), (y, 1)])
        r = try MILPSolver.solve(g, options: presolve)
        #expect(r.status == .infeasible && r.retriedWithoutPresolve)

        // Without presolve there is nothing to retry.
        r = try MILPSolver.solve(m, options: MILPOptions(presolve: false))
        #expect(r.status == .infeasible && !r.retriedWithoutPresolve)
        // A normal model is not retried.
        #expect(try !MILPSolver.solve(MILPTestProblems.knapsack(items: 20, seed: 1), options: presolve).retriedWithoutPresolve)
    }

    @Test("a gap tolerance stops early with a valid bound and gap; gap 0 proves optimality")
    func gapTolerance() throws {
        let problem = MILPTestProblems.knapsack(items: 100, seed: 7)
        let exact = try MILPSolver.solve(problem)
        #expect(exact.status == .optimal)
        #expect(exact.relativeGap == 0 && exact.bestBound == exact.objectiveValue)
        let optimum = try #require(exact.objectiveValue)
        for gap in [1e-3, 0.05, 0.5] {
            let r = try Self.solve(problem, gap: gap)
            #expect(r.status == .optimal || r.status == .feasible)
            let objective = try #require(r.objectiveValue)
            #expect(objective <= optimum)  // a maximisation
            if r.status == .feasible {
                let bound = try #require(r.bestBound)
                let achieved = try #require(r.relativeGap)
                #expect(bound >= optimum)
                #expect(achieved >= 0 && achieved <= gap)
                #expect(abs(achieved - abs(objective - bound) / (abs(objective) + Double.ulpOfOne)) < 1e-15)
            }
        }
        // The gap stop does not depend on the clock: this one stops early, every time.
        let early = try Self.solve(problem, gap: 0.05)
        #expect(early.status == .feasible)
        #expect(early.objectiveValue! < optimum)
    }

    @Test("a zero time limit ends without a solution; a generous one proves optimality")
    func timeLimit() throws {
        let problem = MILPTestProblems.knapsack(items: 60, seed: 11)
        for presolve in Self.presolveModes {
            let r = try MILPSolver.solve(problem, options: MILPOptions(timeLimitMilliseconds: 0, presolve: presolve))
            #expect(r.status == .noSolutionFound)
            #expect(r.values.isEmpty && r.objectiveValue == nil && r.relativeGap == nil)
        }
        let generous = try MILPSolver.solve(problem, options: MILPOptions(timeLimitMilliseconds: 60_000))
        #expect(generous.status == .optimal)
    }

    @Test("solving twice gives identical results")
    func deterministic() throws {
        for seed in 0..<5 {
            let problem = MILPTestProblems.knapsack(items: 30, seed: UInt64(seed))
            let first = try MILPSolver.solve(problem)
            let second = try MILPSolver.solve(problem)
            #expect(first.status == second.status)
            #expect(first.values == second.values)
            #expect(first.objectiveValue == second.objectiveValue)
            #expect(first.bestBound == second.bestBound)
        }
    }

    @Test("the model is a plain hashable value")
    func valueSemantics() {
        var a = MILPModel()
        a.addBinary("x")
        var b = a
        #expect(a == b && a.hashValue == b.hashValue)
        b.variables[0].name = "y"
        #expect(a != b)
        #expect(a.variables[0].name == "x")
        #expect(b.variableIndex(named: "y") == 0 && b.variableIndex(named: "x") == nil)
        #expect(MILPModel.Relation.between(1, 2).bounds == (1, 2))
    }
}
