import Foundation
import PropertyBased
import Testing
@testable import XPertCore

/// Brute force over every design of a small space: the oracle of the exact method. It sums the
/// same per-layer fixed-point costs, keeps the designs within the budgets that no other such
/// design weakly dominates in the search's dimensions (ties: the smaller path), drops those
/// whose reported totals break a budget, and filters the rest on the space's objectives,
/// exactly as the definition of the exact frontier says.
enum JointOracle {
    struct Entry {
        var path: [Int32]
        var sums: ObjectiveVector
        var totals: DesignTotals
    }

    /// Every design of the space (channel groups agreeing), with its sums in `dims`.
    static func designs(space: SearchSpace, table: JointCostTable, dims: [Phase2Metric], scales: [FixedPoint]) -> [Entry] {
        let w = space.workload
        let options = LayerOptionSpace.of(w)
        var out: [Entry] = []
        var path = [Int32](repeating: 0, count: w.layers.count)
        func visit(_ i: Int) {
            if i == w.layers.count {
                let channels = zip(path, options).map { $1.design(Int($0)).outChannels }
                for (a, la) in w.layers.enumerated() {
                    for (b, lb) in w.layers.enumerated() where b > a && la.channelGroup != nil && la.channelGroup == lb.channelGroup {
                        if channels[a] != channels[b] { return }
                    }
                }
                var sums = ObjectiveVector.zero
                for l in w.layers.indices {
                    let k = table.inChoices[l].firstIndex(of: w.inChannels(of: l, outChannels: channels))!
                    for (d, m) in dims.enumerated() { sums[d] += scales[d].units(table.value(m, layer: l, inChoice: k, option: Int(path[l]))) }
                }
                out.append(Entry(path: path, sums: sums, totals: SearchRun.totals(path: path, table: table, workload: w, options: options)))
                return
            }
            for o in 0..<options[i].count {
                path[i] = Int32(o)
                visit(i + 1)
            }
        }
        visit(0)
        return out
    }

    /// The paths the exact method must report, in its order.
    static func frontier(space: SearchSpace) throws -> [[Int32]] {
        let w = space.workload
        var model: AccuracyModel?
        if let spec = space.accuracy {
            model = try AccuracyModel(space: space, spec: spec, noise: NoiseTables.build(space: space, settings: spec.noise, threads: 1))
        }
        let steers = space.objectives.contains(.accuracy) || space.constraints.accuracyDropPct != nil
        let table = JointCostTable(workload: w, options: LayerOptionSpace.of(w), substrates: Substrates(space: space),
                                   accuracy: steers ? model : nil, threads: 1)
        let dims = JointSearch.dimensions(objectives: space.objectives, constraints: space.constraints)
        let scales = dims.map { FixedPoint(resolution: JointSearch.resolution[$0.index], largestTotal: table.largestTotal($0)) }
        var budget = ObjectiveVector(repeating: .max)
        for (d, m) in dims.enumerated() {
            guard let limit = m.limit(in: space.constraints), m != .accuracyDrop || model?.isExactInPhase1 == true else { continue }
            budget[d] = scales[d].budget(m.rawThreshold(forLimit: limit)) ?? .max
        }
        let feasible = designs(space: space, table: table, dims: dims, scales: scales).filter { all($0.sums .<= budget) }
        // Nondominated in the search's dimensions, ties to the smaller path.
        let sorted = feasible.sorted { a, b in lexicographicOrder(a.sums, b.sums) ?? a.path.lexicographicallyPrecedes(b.path) }
        var kept: [Entry] = []
        for e in sorted where !kept.contains(where: { all($0.sums .<= e.sums) }) { kept.append(e) }
        // Reported totals and estimates within the budgets, then the final filter.
        let options = LayerOptionSpace.of(w)
        var pool: [FrontierDesign] = []
        for e in kept {
            var d = FrontierDesign(path: e.path, totals: e.totals, searchSums: e.sums)
            if let model { d.accuracy = try model.evaluate([d.design(options: options)])[0].get() }
            if space.constraints.violations(d.totals, dropPct: d.accuracy?.dropPct).isEmpty { pool.append(d) }
        }
        func value(_ o: Objective, _ d: FrontierDesign) -> Double {
            func sum(_ m: Phase2Metric) -> Double? { dims.firstIndex(of: m).map { Double(d.searchSums![$0]) } }
            switch o {
            case .energy: return sum(.energy)!
            case .latency: return sum(.latency)!
            case .area: return sum(.area)!
            case .edap: return sum(.energy)! * sum(.latency)! * sum(.area)!
            case .accuracy: return sum(.accuracyDrop)!
            default: preconditionFailure("an objective the oracle does not know")
            }
        }
        return ParetoFront.filter(pool, objectives: space.objectives, value: value).map(\.path)
    }

    /// Designs of the space: channel combinations times every layer's periphery choices.
    static func size(_ space: SearchSpace) -> Double { pow(10, SpaceSize(workload: space.workload).log10Count) }

    /// A random small space with random objectives, budgets and (sometimes) a proxy estimator.
    /// With `mixed`, every layer may also run on DAISM (a random subset of its variants and
    /// operand bits).
    static func space(seed: UInt64, mixed: Bool = false) throws -> SearchSpace? {
        var rng = SplitMix64(seed: seed &* 7919)
        var doc = RandomSpaces.document(seed: seed)
        if mixed {
            let variants = DaismVariant.allCases.filter { _ in rng.next() % 2 == 0 }
            let bits = [4, 6, 8].filter { _ in rng.next() % 2 == 0 }
            doc = doc.setting([.key("choices"), .key("substrate")], to: .array([.string("crossbar"), .string("daism")]))
            doc = doc.setting([.key("daism")], to: .object([
                ("variants", .array((variants.isEmpty ? [.pc2] : variants).map { .string($0.rawValue) })),
                ("operand_bits", .array((bits.isEmpty ? [4] : bits).map { .number(Double($0)) })),
            ]))
        }
        let base = try SearchSpace.read(JSONNode(doc))
        guard size(base) <= 4000 else { return nil }
        let pools: [[String]] = [["energy", "latency", "area"], ["edap"], ["energy", "accuracy"], ["latency", "area", "accuracy"],
                                 ["edap", "accuracy"], ["area"], ["energy", "latency", "area", "accuracy"]]
        let objectives = pools[Int(rng.next() % UInt64(pools.count))]
        let withAccuracy = objectives.contains("accuracy") || rng.next() % 3 == 0
        doc = doc.setting([.key("objectives")], to: .array(objectives.map { .string($0) }))
        if withAccuracy {
            doc = doc.setting([.key("accuracy")], to: .object([
                ("estimator", .string("proxy")), ("baseline_accuracy_pct", .number(90)),
                ("width_coefficient_pct", .number(2)),
                ("noise", .object([("samples", .number(4)), ("columns", .number(4))])),
            ]))
        }
        // Budgets from the spread of the unconstrained costs: sometimes none, sometimes binding.
        let plain = try SearchSpace.read(JSONNode(doc))
        let table = JointCostTable(workload: plain.workload, options: LayerOptionSpace.of(plain.workload),
                                   substrates: Substrates(space: plain), accuracy: nil, threads: 1)
        let totals = designs(space: plain, table: table, dims: [.area, .latency], scales: [FixedPoint(resolution: 1000, largestTotal: 1e9),
                                                                                       FixedPoint(resolution: 1000, largestTotal: 1e9)]).map(\.totals)
        var constraints: [(key: String, value: JSONValue)] = []
        if rng.next() % 2 == 0 {
            let areas = totals.map(\.areaMM2).sorted()
            constraints.append(("area_mm2", .number(areas[areas.count / 3])))
        }
        if rng.next() % 3 == 0 {
            let latencies = totals.map(\.latencyMS).sorted()
            constraints.append(("latency_ms", .number(latencies[latencies.count / 2])))
        }
        if withAccuracy, rng.next() % 2 == 0 { constraints.append(("accuracy_drop_pct", .number(Double(1 + rng.next() % 4)))) }
        doc = doc.setting([.key("constraints")], to: constraints.isEmpty ? nil : .object(constraints))
        return try SearchSpace.read(JSONNode(doc))
    }
}

/// Counts the cases a property test really checked (the others were too large to brute-force).
final class CheckedCases: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var count = 0
    private(set) var frontierDesigns = 0
    private(set) var daismLayers = 0
    func add(designs: Int) { lock.lock(); count += 1; frontierDesigns += designs; lock.unlock() }
    func add(daismLayers n: Int) { lock.lock(); daismLayers += n; lock.unlock() }
}

@Suite("Exact joint search against brute force")
struct JointSearchOracleTests {
    @Test(arguments: [false, true])
    func randomSpacesMatchBruteForce(mixed: Bool) async {
        let checked = CheckedCases()
        await propertyCheck(count: mixed ? 200 : 120, input: Gen.int(in: 0...1_000_000)) { seed in
            guard let space = try! JointOracle.space(seed: UInt64(seed), mixed: mixed) else { return }
            let expected: [[Int32]]
            do { expected = try JointOracle.frontier(space: space) } catch { Issue.record("oracle: \(error)"); return }
            checked.add(designs: expected.count)
            let options = LayerOptionSpace.of(space.workload)
            checked.add(daismLayers: expected.reduce(0) { n, path in
                n + zip(path, options).filter { $1.design(Int($0)).option.substrate == .daism }.count
            })
            for threads in [1, 2] {
                do {
                    let run = try SearchRun.run(space: space, threads: threads)
                    #expect(run.frontier.map(\.path) == expected, "seed \(seed), threads \(threads), objectives \(space.objectives)")
                } catch let e as SearchInfeasible {
                    #expect(expected.isEmpty, "seed \(seed): search infeasible (\(e.message)) but the oracle has \(expected.count)")
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        #expect(checked.count >= 30 && checked.frontierDesigns >= 100, "\(checked.count) spaces, \(checked.frontierDesigns) designs")
        if mixed { #expect(checked.daismLayers > 0, "some frontier design puts a layer on DAISM") }
    }

    /// The epsilon mode: every design of the exact frontier (objectives that are the search's
    /// dimensions, no budget) has a reported design within 1 + epsilon in every dimension, and
    /// within the accuracy tolerance in the drop.
    @Test func epsilonCoversTheExactFrontier() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            guard var space = try! JointOracle.space(seed: UInt64(seed)) else { return }
            guard !space.objectives.contains(.edap) else { return }
            space.constraints = Constraints()
            let exact = try! SearchRun.run(space: space, threads: 1)
            let epsilon = 0.05, tolerance = 0.2
            space.search.epsilon = epsilon
            space.search.accuracyTolerancePct = tolerance
            let approximate = try! SearchRun.run(space: space, threads: 2)
            #expect(approximate.frontier.count <= exact.frontier.count)
            let dims = try! #require(exact.joint).dimensions
            for x in exact.frontier {
                let covered = approximate.frontier.contains { y in
                    dims.indices.allSatisfy { d in
                        let (a, b) = (Double(y.searchSums![d]), Double(x.searchSums![d]))
                        return dims[d] == .accuracyDrop ? a <= b + tolerance * 1e6 + 1 : a <= (1 + epsilon) * b + 1
                    }
                }
                #expect(covered, "seed \(seed): \(x.path) has no cover")
            }
        }
    }

    @Test func sameFrontierForAnyThreadCountOnAShippedSpace() throws {
        var space = try SearchSpace.load(path: Fixtures.spacePath("resnet18-tinyimagenet"))
        space.objectives = [.energy, .latency, .area]
        let a = try SearchRun.run(space: space, threads: 1), b = try SearchRun.run(space: space, threads: 2)
        #expect(a.frontier == b.frontier)
        #expect(a.frontier.count > 100)
    }

    @Test func reportPointsKeepTheExtremesAndSpreadTheRest() throws {
        var space = try SearchSpace.load(path: Fixtures.spacePath("resnet18-tinyimagenet"))
        space.objectives = [.energy, .latency, .area]
        space.search.reportPoints = nil
        let all = try SearchRun.run(space: space, threads: 2)
        space.search.reportPoints = 20
        let some = try SearchRun.run(space: space, threads: 2)
        #expect(some.frontier.count == 20 && some.frontierSize == all.frontier.count)
        let paths = Set(all.frontier.map(\.path))
        #expect(some.frontier.allSatisfy { paths.contains($0.path) })
        for o in [Objective.energy, .latency, .area] {
            let best = all.frontier.map { ParetoFront.value(o, $0) }.min()!
            #expect(some.frontier.contains { ParetoFront.value(o, $0) == best }, "the least \(o) is kept")
        }
    }
}
