import Dispatch
import Foundation
import PropertyBased
import Testing
@testable import XPertCore

/// Kind 3 tables put options 1e-10 apart, below GLPK's resolution. There the engine may say
/// it is inexact (a band overflowed), a solve may fail (GLPK's point breaks a row by more than
/// its tolerance), or GLPK may wrongly prove a band empty and so miss a design it cannot tell
/// from a returned one. Kind-3 results are therefore held to brute force only up to such
/// indistinguishable designs (``Phase2Oracle/indistinguishable(_:_:)``); other kinds exactly.
@Suite("Phase 2 against brute force")
struct Phase2OracleTests {
    static let linear: [Objective] = [.energy, .latency, .area]
    static let all: [Objective] = [.energy, .latency, .area, .accuracy]

    @Test("(a) every exact minimisation and every raw MILP optimum equal brute force")
    func minimisationsMatchBruteForce() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            let nearDuplicates = seed % 4 == 3
            var instance = Phase2Instance(seed: UInt64(seed))
            instance.useSyntheticTable(kind: seed % 4)
            let oracle = Phase2Oracle(instance.table)
            for round in 0..<4 {
                let constraints = instance.budgets(oracle, count: round % 4, below: round == 3)
                let order = Phase2Metric.allCases.shuffled(using: &instance.rng)
                let bounds = Phase2Search.bounds(constraints)
                var relevant = order
                for b in bounds where !relevant.contains(b.metric) { relevant.append(b.metric) }
                let model = Phase2Model(table: instance.table, relevant: relevant)
                // Every metric alone, then longer prefixes of the order.
                let orders = Phase2Metric.allCases.map { [$0] } + (2...order.count).map { Array(order.prefix($0)) }
                let feasible = oracle.feasible(constraints)
                for order in orders {
                    let label = "seed \(seed) round \(round) order \(order)"
                    var engine = Phase2Engine(model: model, settings: Phase2Settings())
                    let got: Phase2Candidate?
                    do { got = try engine.lexMin(order, bounds) } catch {
                        #expect(nearDuplicates, "\(label): \(error)")
                        continue
                    }
                    #expect(engine.isExact || nearDuplicates, "\(label)")
                    if !engine.isExact { continue }
                    let expected = Phase2Oracle.lexMin(feasible, order)
                    let entry = got.map { Phase2Oracle.Entry(path: $0.path, totals: $0.totals) }
                    if nearDuplicates, let entry, let expected, entry != expected {
                        #expect(feasible.contains(entry) && oracle.indistinguishable(entry, expected), "\(label)")
                    } else {
                        #expect(entry == expected, "\(label)")
                    }
                }
                // The raw MILP (no cuts, no band): GLPK's optimum is brute force's on the same model.
                let milp = model.model(minimizing: order[0], bounds: bounds, excluding: [])
                let r: MILPResult
                do { r = try MILPSolver.solve(milp) } catch {
                    #expect(nearDuplicates, "seed \(seed) round \(round): \(error)")
                    continue
                }
                var best: Double?
                for e in oracle.entries where model.canonical(e.path) == e.path {
                    var x = [Double](repeating: 0, count: milp.variables.count)
                    for (l, o) in e.path.enumerated() { x[model.variable[l][o]!] = 1 }
                    guard milp.isFeasible(x, tolerance: 0) else { continue }
                    best = min(best ?? .infinity, milp.objectiveValue(at: x))
                }
                #expect((r.status == .optimal) == (best != nil), "seed \(seed) round \(round): \(r.status)")
                if let best, let value = r.objectiveValue {
                    #expect(abs(value - best) <= 1e-6, "seed \(seed) round \(round): GLPK \(value), brute force \(best)")
                }
            }
        }
    }

    @Test("(b, d) two objectives: the sweep's frontier is the brute-force frontier; infeasibility agrees")
    func twoObjectiveFrontierIsExact() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000)) { seed in
            let nearDuplicates = seed % 4 == 3
            var instance = Phase2Instance(seed: UInt64(seed))
            instance.useSyntheticTable(kind: seed % 4)
            let oracle = Phase2Oracle(instance.table)
            for round in 0..<4 {
                // Even rounds pair accuracy with a cost, in either order; round 2 always has an
                // accuracy budget, the others sometimes.
                var objectives = Array(Self.all.shuffled(using: &instance.rng).prefix(2))
                if round % 2 == 0, !objectives.contains(.accuracy) { objectives[Int(instance.rng.next() % 2)] = .accuracy }
                let constraints = instance.budgets(oracle, count: round, below: round == 3,
                                                   including: round == 2 ? [.accuracyDrop] : [])
                let maxPoints = round == 1 ? 1 + Int(instance.rng.next() % 8) : 10_000
                let label = "seed \(seed) kind \(seed % 4) round \(round) \(objectives) \(constraints)"
                guard let result = try Self.run(instance, constraints, objectives, Phase2Settings(maxPoints: maxPoints),
                                                nearDuplicates: nearDuplicates, label) else { continue }
                let feasible = oracle.feasible(constraints)
                if feasible.isEmpty {
                    Self.expectInfeasibility(result, oracle, constraints, label)
                    continue
                }
                // The sweep runs from the f1 optimum towards the f2 optimum: a truncated sweep
                // gives the frontier's first points.
                let expected = Phase2Oracle.frontier2(feasible, objectives)
                let got = result.points.map(\.entry)
                #expect(result.points.allSatisfy { $0.design == instance.table.design(path: $0.optionPath.map(Int.init)) })
                if nearDuplicates, got != Array(expected.prefix(maxPoints)) {
                    // Frontier points in order; those skipped before the last one returned (all,
                    // when not truncated) are indistinguishable from a returned one.
                    let positions = got.compactMap { expected.firstIndex(of: $0) }
                    #expect(positions.count == got.count && positions == positions.sorted(), "\(label)")
                    let end = result.truncated ? (positions.last.map { $0 + 1 } ?? 0) : expected.count
                    let skipped = expected[..<end].filter { !got.contains($0) }
                    #expect(skipped.allSatisfy { q in got.contains { oracle.indistinguishable($0, q) } },
                            "\(label): \(Self.difference(got, expected))")
                } else {
                    #expect(result.truncated == (expected.count > maxPoints), "\(label)")
                    #expect(got == Array(expected.prefix(maxPoints)), "\(label): \(Self.difference(got, Array(expected.prefix(maxPoints))))")
                }
            }
        }
    }

    @Test("(c, d) three objectives: grid points are on the brute-force frontier, extremes are found")
    func threeObjectiveGridIsNondominated() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            var instance = Phase2Instance(seed: UInt64(seed))
            instance.useSyntheticTable(kind: seed % 4)
            let oracle = Phase2Oracle(instance.table)
            for round in 0..<3 {
                let objectives = round == 2 ? [Objective.edap] : Self.linear.shuffled(using: &instance.rng)
                let constraints = instance.budgets(oracle, count: round + 1, below: round == 1)
                let settings = Phase2Settings(levels: 2 + Int(instance.rng.next() % 4))
                let label = "seed \(seed) round \(round) \(objectives) \(constraints)"
                guard let result = try Self.run(instance, constraints, objectives, settings, nearDuplicates: seed % 4 == 3, label) else { continue }
                Self.expectGrid(result, oracle, constraints, objectives, over: Self.linear, nearDuplicates: seed % 4 == 3, label)
                if objectives == [.edap], !result.points.isEmpty { #expect(result.points.count == 1, "\(label)") }
            }
        }
    }

    @Test("(c, d) four objectives with accuracy: grid points are on the brute-force 4-D frontier, extremes are found")
    func fourObjectiveGridIsNondominated() async {
        await propertyCheck(count: 16, input: Gen.int(in: 0...1_000_000)) { seed in
            var instance = Phase2Instance(seed: UInt64(seed))
            instance.useSyntheticTable(kind: seed % 4)
            let oracle = Phase2Oracle(instance.table)
            for round in 0..<2 {
                // Round 1: edap and accuracy, a four-metric sweep filtered down to two objectives.
                let objectives = round == 1 ? [Objective.edap, .accuracy] : Self.all.shuffled(using: &instance.rng)
                let constraints = instance.budgets(oracle, count: Int(instance.rng.next() % 3), below: false)
                let settings = Phase2Settings(levels: 2 + Int(instance.rng.next() % 2))
                let label = "seed \(seed) round \(round) \(objectives) \(constraints)"
                guard let result = try Self.run(instance, constraints, objectives, settings, nearDuplicates: seed % 4 == 3, label) else { continue }
                #expect(result.sweepMetrics.count == 4, "\(label)")
                Self.expectGrid(result, oracle, constraints, objectives, over: Self.all, nearDuplicates: seed % 4 == 3, label)
                if round == 1, !result.points.isEmpty {
                    // The least accuracy drop survives the (edap, accuracy) filter.
                    #expect(result.points.map(\.accuracyDropPct).min() == oracle.minimum(.accuracyDrop, among: oracle.feasible(constraints))
                            || seed % 4 == 3, "\(label)")
                    #expect(result.points.allSatisfy { Phase2Oracle.isNondominated($0.entry, among: result.points.map(\.entry), objectives) })
                }
            }
        }
    }

    @Test("(d) an accuracy budget: infeasibility names brute force's minima, feasible results meet it")
    func accuracyBudgetInfeasibility() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            var instance = Phase2Instance(seed: UInt64(seed))
            instance.useSyntheticTable(kind: seed % 4)
            let oracle = Phase2Oracle(instance.table)
            for round in 0..<2 {
                var constraints = instance.budgets(oracle, count: 1 + Int(instance.rng.next() % 3), below: round == 1,
                                                   including: [.accuracyDrop])
                if round == 0 {
                    // Below the least drop of any design, maybe negative: infeasible whatever else holds.
                    constraints.accuracyDropPct = oracle.minimum(.accuracyDrop) - [1, 0.25, 1e-9][Int(instance.rng.next() % 3)]
                }
                let objectives = [[Objective.accuracy], [.energy], [.latency, .accuracy]][Int(instance.rng.next() % 3)]
                let label = "seed \(seed) round \(round) \(objectives) \(constraints)"
                guard let result = try Self.run(instance, constraints, objectives, nearDuplicates: seed % 4 == 3, label) else { continue }
                let feasible = oracle.feasible(constraints)
                #expect(round == 1 || feasible.isEmpty, "\(label)")
                if feasible.isEmpty {
                    Self.expectInfeasibility(result, oracle, constraints, label)
                } else {
                    #expect(!result.points.isEmpty && result.points.allSatisfy { feasible.contains($0.entry) }, "\(label)")
                }
            }
        }
    }

    /// Phase 2 on the instance; nil when the result is not held to the oracle: with near-duplicate
    /// options, an inexact result or a solver error (see the suite's note), which only they allow.
    static func run(_ instance: Phase2Instance, _ constraints: Constraints, _ objectives: [Objective],
                    _ settings: Phase2Settings = Phase2Settings(), nearDuplicates: Bool, _ label: String) throws -> Phase2Result? {
        let result: Phase2Result
        do { result = try instance.run(constraints, objectives, settings) } catch {
            if nearDuplicates { return nil }
            throw error
        }
        #expect(result.isExact || nearDuplicates, "\(label)")
        return result.isExact ? result : nil
    }

    /// A grid's points are feasible and nondominated by `metrics` (objectives) among the feasible
    /// designs, and hold each extreme (that metric first, then the other swept ones in order).
    static func expectGrid(_ result: Phase2Result, _ oracle: Phase2Oracle, _ constraints: Constraints, _ objectives: [Objective],
                           over metrics: [Objective], nearDuplicates: Bool, _ label: String) {
        let feasible = oracle.feasible(constraints)
        if feasible.isEmpty {
            expectInfeasibility(result, oracle, constraints, label)
            return
        }
        #expect(!result.points.isEmpty, "\(label)")
        let got = result.points.map(\.entry)
        for p in got {
            #expect(feasible.contains(p), "\(label): \(p.path) infeasible or wrong totals")
            let dominators = Phase2Oracle.dominators(of: p, among: feasible, metrics)
            #expect(dominators.allSatisfy { nearDuplicates && oracle.indistinguishable($0, p) }, "\(label): \(p.path) dominated")
        }
        guard !objectives.contains(.edap) else { return } // the final filter may drop extremes
        let sweep = result.sweepMetrics
        for m in sweep {
            let extreme = Phase2Oracle.lexMin(feasible, [m] + sweep.filter { $0 != m })!
            #expect(got.contains(extreme) || (nearDuplicates && got.contains { oracle.indistinguishable($0, extreme) }),
                    "\(label): extreme \(m) \(extreme.path) missing")
        }
    }

    @Test("(e) repeated and concurrent runs give identical results")
    func runsAreDeterministic() async throws {
        let cases: [(Phase2Instance, Constraints, [Objective])] = (0..<6).map { i in
            var instance = Phase2Instance(seed: UInt64(7_000 + i))
            instance.useSyntheticTable(kind: 1 + i % 3)
            let oracle = Phase2Oracle(instance.table)
            let constraints = instance.budgets(oracle, count: i % 3, below: false)
            let objectives: [[Objective]] = [[.energy, .latency], [.energy, .latency, .area], [.accuracy, .energy], Self.all]
            return (instance, constraints, objectives[i % 4])
        }
        @Sendable func fingerprint(_ r: Phase2Result) -> [String] {
            r.points.map { "\($0.optionPath) \($0.energyPJ) \($0.latencyNS) \($0.areaUM2) \($0.accuracyDropPct)" }
                + r.solves.map { "\($0.step) \($0.role) \($0.status) \(String(describing: $0.objectiveValue))" }
        }
        let reference = try cases.map { try fingerprint($0.0.run($0.1, $0.2)) }
        for _ in 0..<2 {
            #expect(try cases.map { try fingerprint($0.0.run($0.1, $0.2)) } == reference)
        }
        let box = Phase2ResultBox(count: cases.count * 4)
        DispatchQueue.concurrentPerform(iterations: cases.count * 4) { i in
            let c = cases[i % cases.count]
            box.store(try? fingerprint(c.0.run(c.1, c.2)), at: i)
        }
        for i in 0..<(cases.count * 4) { #expect(box.value(at: i) == reference[i % cases.count], "run \(i)") }
    }

    /// A short account of how two point lists differ.
    static func difference(_ got: [Phase2Oracle.Entry], _ expected: [Phase2Oracle.Entry]) -> String {
        let extra = got.filter { !expected.contains($0) }.prefix(3).map { "\($0.path) \($0.totals)" }
        let missing = expected.filter { !got.contains($0) }.prefix(3).map { "\($0.path) \($0.totals)" }
        return "\(got.count) points, expected \(expected.count); extra \(extra); missing \(missing)"
    }

    static func metric(_ o: Objective) -> Phase2Metric {
        switch o {
        case .energy: return .energy
        case .latency: return .latency
        case .accuracy: return .accuracyDrop
        case .area, .edap: return .area
        default: preconditionFailure("an objective the oracle does not know")
        }
    }

    /// The infeasible outcome names every constraint with brute force's minima.
    static func expectInfeasibility(_ result: Phase2Result, _ oracle: Phase2Oracle, _ constraints: Constraints, _ label: String) {
        guard let info = result.infeasibility else {
            Issue.record("\(label): expected infeasible, got \(result.points.count) points")
            return
        }
        let present = Phase2Metric.allCases.filter { $0.limit(in: constraints) != nil }
        #expect(info.limits.map(\.metric) == present, "\(label)")
        for limit in info.limits {
            var others = constraints
            switch limit.metric {
            case .energy: others.energyUJ = nil
            case .latency: others.latencyMS = nil
            case .area: others.areaMM2 = nil
            case .accuracyDrop: others.accuracyDropPct = nil
            default: preconditionFailure("a metric the oracle does not know")
            }
            let expected = oracle.feasible(others).map { $0.total(limit.metric) }.min().map { $0 / limit.metric.reportScale }
            #expect(limit.minimumGivenOthers == expected, "\(label): \(limit.metric)")
            #expect(limit.minimumAlone == oracle.minimum(limit.metric) / limit.metric.reportScale, "\(label)")
            #expect(limit.isBinding == (expected != nil))
            if let m = limit.minimumGivenOthers {
                // Raising the limit to the reported minimum makes some design feasible.
                var relaxed = constraints
                switch limit.metric {
                case .energy: relaxed.energyUJ = m
                case .latency: relaxed.latencyMS = m
                case .area: relaxed.areaMM2 = m
                case .accuracyDrop: relaxed.accuracyDropPct = m
                default: preconditionFailure("a metric the oracle does not know")
                }
                #expect(!oracle.feasible(relaxed).isEmpty, "\(label)")
            }
        }
    }
}

/// Results written by distinct indices from concurrent threads, read after they joined.
final class Phase2ResultBox: @unchecked Sendable {
    private var slots: [[String]?]
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ v: [String]?, at i: Int) {
        lock.wait()
        slots[i] = v
        lock.signal()
    }
    func value(at i: Int) -> [String]? {
        lock.wait()
        defer { lock.signal() }
        return slots[i]
    }
}
