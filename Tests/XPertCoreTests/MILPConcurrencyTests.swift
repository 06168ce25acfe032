import Dispatch
import Synchronization
import Testing
@testable import XPertCore

/// GLPK keeps per-thread state: many threads solving their own models at once must neither
/// crash nor change any result.
@Suite("MILP solver: concurrency")
struct MILPConcurrencyTests {

    /// What must not depend on the thread: everything but the time.
    struct Outcome: Hashable, Sendable {
        var status: MILPResult.Status?
        var objective: Double?
        var values: [Double]
        var error: MILPError?

        init(_ model: MILPModel) {
            do {
                let r = try MILPSolver.solve(model)
                status = r.status
                objective = r.objectiveValue
                values = r.values
            } catch {
                values = []
                self.error = error
            }
        }
    }

    /// One-hot problems and knapsacks of assorted sizes, plus infeasible, unbounded (including
    /// the feasibility-check path) and invalid models.
    static let models: [MILPModel] = {
        var models: [MILPModel] = []
        for seed in 0..<24 {
            models.append(MILPTestProblems.oneHot(groups: 4 + seed % 11, seed: UInt64(seed)).model().0)
            models.append(MILPTestProblems.knapsack(items: 20 + seed, seed: UInt64(100 + seed)))
        }
        var infeasible = MILPModel()
        let k = infeasible.addVariable("k", kind: .integer)
        let t = infeasible.addVariable("t")
        infeasible.addConstraint("half", [(k, 2)], .equal(1))
        infeasible.maximize([(t, 1)])
        models.append(infeasible)
        var unbounded = MILPModel()
        let x = unbounded.addVariable("x", kind: .integer)
        unbounded.maximize([(x, 1)])
        models.append(unbounded)
        var invalid = MILPModel()
        invalid.addBinary()
        invalid.addConstraint("bad", [(0, .infinity)], .lessOrEqual(1))
        models.append(invalid)
        return models
    }()

    static let serial: [Outcome] = models.map(Outcome.init)

    @Test("serial reference outcomes cover every path")
    func referenceCoversPaths() {
        let statuses = Set(Self.serial.compactMap(\.status))
        #expect(statuses.isSuperset(of: [.optimal, .infeasible, .unbounded]))
        #expect(Self.serial.contains { $0.error != nil })
    }

    @Test("DispatchQueue.concurrentPerform: 10 rounds over every model, identical to serial")
    func concurrentPerform() {
        let models = Self.models
        let count = models.count * 10
        let results = Mutex([Outcome?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let outcome = Outcome(models[i % models.count])  // the solve runs outside the lock
            results.withLock { $0[i] = outcome }
        }
        let all = results.withLock { $0 }
        for i in 0..<count {
            #expect(all[i] == Self.serial[i % models.count], "model \(i % models.count)")
        }
    }

    @Test("task group: every model solved 10 times in child tasks, identical to serial")
    func taskGroup() async {
        let models = Self.models
        let outcomes = await withTaskGroup(of: (Int, Outcome).self) { group in
            for i in 0..<(models.count * 10) {
                group.addTask { (i % models.count, Outcome(models[i % models.count])) }
            }
            var all: [(Int, Outcome)] = []
            for await pair in group { all.append(pair) }
            return all
        }
        #expect(outcomes.count == models.count * 10)
        for (index, outcome) in outcomes {
            #expect(outcome == Self.serial[index], "model \(index)")
        }
    }
}
