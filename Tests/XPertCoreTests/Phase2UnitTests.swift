import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Phase 2: pieces and real spaces")
struct Phase2UnitTests {

    // MARK: Order-free sums

    @Test("ExactSum is correctly rounded on known cases")
    func exactSumKnownCases() {
        #expect(ExactSum.of([]) == 0)
        #expect(ExactSum.of([Double](repeating: 0.1, count: 10)) == 1.0)
        #expect(ExactSum.of([1e100, 1.0, -1e100, 1e-100]) == 1.0)
        #expect(ExactSum.of([1e-16, 1, 1e16]) == 10000000000000002)
        #expect(ExactSum.of([3, 4.5, 1e-3]) == 7.501)
    }

    @Test("ExactSum depends only on the multiset of terms and matches a double-double sum")
    func exactSumIsOrderFree() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let n = 1 + Int(rng.next() % 12)
            let xs: [Double] = (0..<n).map { _ in
                let mantissa = Double(rng.next() % 1_000_000_007) / 1_000_000_007
                return mantissa * pow(10, Double(Int(rng.next() % 13)) - 4)
            }
            let s = ExactSum.of(xs)
            #expect(ExactSum.of(xs.shuffled(using: &rng)) == s)
            #expect(ExactSum.of(xs.reversed()) == s)
            // Double-double accumulation (about 106 bits), rounded once.
            var hi = 0.0, lo = 0.0
            for x in xs {
                let t = hi + x
                let e = abs(hi) >= abs(x) ? (hi - t) + x : (x - t) + hi
                hi = t
                lo += e
            }
            #expect(hi + lo == s, "\(xs)")
        }
    }

    @Test("raw thresholds are the largest raw totals that meet a limit in report units")
    func rawThresholds() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...Int(Int32.max))) { n in
            let limit = Double(n) / 977.0
            for m in Phase2Metric.allCases {
                let t = m.rawThreshold(forLimit: limit)
                #expect(t / m.reportScale <= limit)
                #expect(t.nextUp / m.reportScale > limit)
            }
        }
    }

    // MARK: Options, costs, objectives

    @Test("options are ADC-bits-major and every option is costed by the architecture")
    func optionsAndCosts() throws {
        var instance = Phase2Instance(seed: 42)
        let layer = instance.space.workload.layers[0]
        let options = Phase2Options(layer: layer, architecture: instance.choices[0]).options
        #expect(options.count == layer.choices.adcBits.count * layer.choices.inputBits.count)
        #expect(options.first == Phase2Option(adcBits: layer.choices.adcBits[0], inputBits: layer.choices.inputBits[0]))
        if layer.choices.inputBits.count > 1 {
            #expect(options[1] == Phase2Option(adcBits: layer.choices.adcBits[0], inputBits: layer.choices.inputBits[1]))
        }
        let table = instance.table
        let w = instance.space.workload
        for l in w.layers.indices {
            for (o, option) in table.options[l].options.enumerated() {
                let d = Phase2CostTable.layerDesign(instance.choices[l], option)
                let c = instance.architecture.cost(of: w.layers[l], inChannels: w.inChannels(of: l, outChannels: instance.choices.map(\.outChannels)), design: d)
                #expect(table.value(.energy, layer: l, option: o) == c.energyPJ.total)
                #expect(table.value(.latency, layer: l, option: o) == c.latencyNS.total)
                #expect(table.value(.area, layer: l, option: o) == c.areaUM2.total)
            }
        }
        // Reported totals agree with evaluating the design (left-to-right sums) to rounding.
        let result = try instance.search(Constraints(), [.energy, .area]).run()
        for p in result.points {
            let totals = instance.architecture.evaluate(p.design, workload: w).totals
            #expect(abs(totals.energyUJ - p.energyUJ) <= 1e-12 * p.energyUJ)
            #expect(abs(totals.latencyMS - p.latencyMS) <= 1e-12 * p.latencyMS)
            #expect(abs(totals.areaMM2 - p.areaMM2) <= 1e-12 * p.areaMM2)
            #expect(p.design.layers.map(\.adcType) == instance.choices.map(\.adcType))
            #expect(p.design.layers.map(\.columnSharing) == instance.choices.map(\.columnSharing))
        }
        _ = instance.unit()
    }

    @Test("objectives map to swept metrics; edap sweeps the three costs, accuracy its drop")
    func sweepMetrics() {
        #expect(Phase2Search.sweepMetrics(for: [.latency, .energy]) == [.latency, .energy])
        #expect(Phase2Search.sweepMetrics(for: [.edap]) == [.energy, .latency, .area])
        #expect(Phase2Search.sweepMetrics(for: [.area, .edap, .accuracy]) == [.area, .energy, .latency, .accuracyDrop])
        #expect(Phase2Search.sweepMetrics(for: [.accuracy, .latency]) == [.accuracyDrop, .latency])
        #expect(Phase2Search.sweepMetrics(for: [.accuracy]) == [.accuracyDrop])
        #expect(Phase2Search.sweepMetrics(for: []) == Phase2Metric.costMetrics)
        #expect(Phase2Search.bounds(Constraints(accuracyDropPct: 0.5)) == [Phase2Bound(metric: .accuracyDrop, atMost: 0.5)])
        #expect(Phase2Metric.allCases.map(\.index) == [0, 1, 2, 3])
        #expect(Phase2Metric.accuracyDrop.constraintKey == "accuracy_drop_pct" && Phase2Metric.accuracyDrop.reportScale == 1)
    }

    @Test("accuracy drops join the cost table as a fourth column and sum into every point")
    func accuracyColumn() throws {
        var instance = Phase2Instance(seed: 5)
        let drops = instance.accuracyDrops(kind: 1)
        let table = Phase2CostTable(workload: instance.space.workload, substrates: instance.architecture,
                                    choices: instance.choices, accuracyDropPct: drops)
        #expect(table.values[Phase2Metric.accuracyDrop.index] == drops)
        for m in Phase2Metric.costMetrics { #expect(table.values[m.index] == instance.table.values[m.index]) }
        #expect(instance.table.values[Phase2Metric.accuracyDrop.index].allSatisfy { $0.allSatisfy { $0 == 0 } })
        let search = instance.search(Constraints(), [.energy, .accuracy])
        let result = try search.run(accuracyDropPct: drops)
        #expect(try search.run(table: table).points == result.points)
        #expect(!result.points.isEmpty)
        for p in result.points {
            let path = p.optionPath.map(Int.init)
            #expect(p.accuracyDropPct == ExactSum.of(path.indices.map { drops[$0][path[$0]] }))
            #expect(p.total(.accuracyDrop) == p.accuracyDropPct && p.value(of: .accuracy) == p.accuracyDropPct)
        }
        // Without drops every point has none.
        #expect(try search.run().points.allSatisfy { $0.accuracyDropPct == 0 })
    }

    @Test("one objective: one point, the brute-force optimum with the smallest path")
    func singleObjective() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000)) { seed in
            var instance = Phase2Instance(seed: UInt64(seed))
            let oracle = Phase2Oracle(instance.table)
            for objective in [Objective.energy, .latency, .area] {
                let constraints = instance.budgets(oracle, count: 2, below: false)
                let result = try instance.search(constraints, [objective]).run()
                let expected = Phase2Oracle.lexMin(oracle.feasible(constraints), [Phase2OracleTests.metric(objective)])
                #expect(result.points.map(\.entry) == (expected.map { [$0] } ?? []), "seed \(seed) \(objective)")
                #expect(result.solves.allSatisfy { $0.status == .optimal || $0.status == .infeasible })
            }
        }
    }

    // MARK: Records and messages

    @Test("every MILP is recorded with its status, objective, gap and time")
    func solvesAreRecorded() throws {
        var instance = Phase2Instance(seed: 3)
        let oracle = Phase2Oracle(instance.table)
        let result = try instance.search(instance.budgets(oracle, count: 1, below: false), [.latency, .area]).run()
        #expect(!result.solves.isEmpty)
        for r in result.solves {
            #expect(r.solveTimeMilliseconds >= 0)
            #expect(r.status == .optimal ? r.objectiveValue != nil && r.relativeGap == 0 : r.objectiveValue == nil)
            #expect(r.json["status"] == .string(r.status.rawValue))
        }
        #expect(result.solves.contains { $0.role == .band && $0.status == .infeasible })
        #expect(result.solves.first?.step == "point 0")
    }

    @Test("a four-metric grid: extremes in sweep order, then cells from the loosest, the last level falling fastest")
    func fourMetricGridOrder() throws {
        var instance = Phase2Instance(seed: 21)
        instance.useSyntheticTable(kind: 1)
        let result = try instance.run(Constraints(), Phase2OracleTests.all, Phase2Settings(levels: 3))
        var steps: [String] = []
        for r in result.solves where steps.last != r.step { steps.append(r.step) }
        #expect(Array(steps.prefix(4)) == ["extreme energy", "extreme latency", "extreme area", "extreme accuracyDrop"])
        let cells = steps.dropFirst(4).map { $0.split(separator: " ")[1].split(separator: ",").map { Int($0)! } }
        #expect(!cells.isEmpty && cells.allSatisfy { $0.count == 3 && $0.allSatisfy { (0..<3).contains($0) } })
        #expect(zip(cells, cells.dropFirst()).allSatisfy { $1.lexicographicallyPrecedes($0) }, "\(cells)")
        #expect(Set(result.points.map(\.optionPath)).count == result.points.count)
    }

    @Test("an infeasible architecture names the binding constraint and its smallest feasible value")
    func infeasibleMessage() throws {
        let instance = Phase2Instance(seed: 11)
        let oracle = Phase2Oracle(instance.table)
        let areaFloor = oracle.minimum(.area) / 1e6
        let result = try instance.search(Constraints(areaMM2: areaFloor * 0.9), [.energy, .latency]).run()
        let info = try #require(result.infeasibility)
        #expect(info.binding.map(\.metric) == [.area])
        #expect(info.limits[0].minimumGivenOthers == areaFloor)
        #expect(info.description.contains("area_mm2"))
        // At exactly the reported floor it is feasible.
        #expect(try !instance.search(Constraints(areaMM2: areaFloor), [.energy, .latency]).run().points.isEmpty)
    }

    @Test("an accuracy budget below every design's drop is named with the least drop")
    func infeasibleAccuracyMessage() throws {
        var instance = Phase2Instance(seed: 11)
        instance.useSyntheticTable(kind: 1)
        let oracle = Phase2Oracle(instance.table)
        let floor = oracle.minimum(.accuracyDrop)
        let areaLimit = oracle.maximum(.area) / 1e6
        let constraints = Constraints(areaMM2: areaLimit, accuracyDropPct: floor - 0.5)
        let result = try instance.run(constraints, [.energy, .latency])
        let info = try #require(result.infeasibility)
        #expect(info.limits.map(\.metric) == [.area, .accuracyDrop])
        #expect(info.binding.map(\.metric) == [.accuracyDrop])
        #expect(info.limits[1].minimumGivenOthers == floor && info.limits[1].minimumAlone == floor)
        #expect(info.description.contains("accuracy_drop_pct = \(floor - 0.5) needs at least \(floor)"))
        #expect(try !instance.run(Constraints(areaMM2: areaLimit, accuracyDropPct: floor), [.energy, .latency]).points.isEmpty)
    }

    // MARK: Real spaces

    @Test("VGG8: phase 2 of a phase-1 architecture gives a nondominated frontier in a few seconds")
    func vgg8() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("vgg8-cifar10"))
        let arch = Substrates(space: space)
        let w = space.workload
        let phase1 = Phase1Search(workload: w, substrates: arch,
                                  referenceInputBits: w.layers.map { $0.choices.inputBits.max()! },
                                  referenceADCBits: w.layers.map { $0.choices.adcBits.max()! },
                                  areaBudgetUM2: space.constraints.areaMM2.map { $0 * 1e6 }).run()
        let choices = try #require(phase1.frontier.first).choices
        for objectives in [[Objective.energy, .latency], [.energy, .latency, .area], [.edap]] {
            let start = Date()
            let result = try Phase2Search(workload: w, substrates: arch, choices: choices, constraints: space.constraints,
                                          objectives: objectives, settings: Phase2Settings(maxPoints: 20, levels: 3)).run()
            let seconds = Date().timeIntervalSince(start)
            #expect(!result.points.isEmpty && result.isExact)
            #expect(seconds < 60, "\(objectives): \(seconds) s, \(result.solves.count) solves")
            for p in result.points {
                #expect(p.areaMM2 <= space.constraints.areaMM2!)
                for q in result.points where q != p {
                    let (vp, vq) = (objectives.map { p.value(of: $0) }, objectives.map { q.value(of: $0) })
                    #expect(!(zip(vq, vp).allSatisfy { $0 <= $1 } && vq != vp), "\(objectives): dominated point")
                }
            }
            if objectives.count == 2 {
                // Frontier sorted by energy, latency strictly falling.
                #expect(zip(result.points, result.points.dropFirst()).allSatisfy { $0.energyPJ < $1.energyPJ && $0.latencyNS > $1.latencyNS })
            }
        }
    }
}
