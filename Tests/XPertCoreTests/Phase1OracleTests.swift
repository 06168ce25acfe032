import PropertyBased
import Testing
@testable import XPertCore

/// Brute force over every architecture of a small space: the oracle for phase 1.
enum Phase1Oracle {
    /// One architecture with its fixed-point sums (drop 0 without accuracy terms).
    struct Design {
        var point: Phase1Point
        var latency: Int64
        var area: Int64
        var drop: Int64
    }

    /// Every architecture of the space whose channel groups agree, costed at the largest bits.
    static func designs(space: SearchSpace, accuracy: Phase1AccuracyTerms?) -> [Design] {
        let w = space.workload
        let arch = Substrates(space: space)
        let options = w.layers.map(Phase1Options.init(layer:))
        // A layer's cost depends only on (layer, input channels, option): cost each once.
        var costs: [[Int]: (latency: Int64, area: Int64)] = [:]
        var designs: [Design] = []
        var path = [Int](repeating: 0, count: w.layers.count)
        func visit(_ i: Int) {
            if i == w.layers.count {
                let choices = zip(path, options).map { $1.options[$0] }
                let channels = choices.map(\.outChannels)
                // Channel groups: every member takes the same count.
                for (a, la) in w.layers.enumerated() {
                    for (b, lb) in w.layers.enumerated() where b > a && la.channelGroup != nil && la.channelGroup == lb.channelGroup {
                        if channels[a] != channels[b] { return }
                    }
                }
                // Phase 1 sums in fixed-point units; the oracle sums the same integers.
                var latency: Int64 = 0, area: Int64 = 0, drop: Int64 = 0
                for (l, layer) in w.layers.enumerated() {
                    let inChannels = w.inChannels(of: l, outChannels: channels)
                    if let accuracy {
                        let k = w.inChannelChoices(of: l).firstIndex(of: inChannels)!
                        drop += Phase1Search.accuracyUnits(accuracy.dropPct[l][k][path[l]])
                    }
                    let key = [l, inChannels, path[l]]
                    if costs[key] == nil {
                        let c = arch.cost(of: layer, inChannels: inChannels, design: LayerDesign(
                            outChannels: channels[l], adcType: choices[l].adcType, adcBits: layer.choices.adcBits.max()!,
                            columnSharing: choices[l].columnSharing, inputBits: layer.choices.inputBits.max()!))
                        costs[key] = (Phase1Search.units(c.latencyNS.total), Phase1Search.units(c.areaUM2.total))
                    }
                    latency += costs[key]!.latency
                    area += costs[key]!.area
                }
                let point = Phase1Point(choices: choices, latencyNS: Double(latency) / Phase1Search.resolution,
                                        areaUM2: Double(area) / Phase1Search.resolution, optionPath: path.map(Int32.init),
                                        accuracyDropPct: accuracy.map { _ in Double(drop) / Phase1Search.accuracyResolution })
                designs.append(Design(point: point, latency: latency, area: area, drop: drop))
                return
            }
            for o in options[i].options.indices {
                path[i] = o
                visit(i + 1)
            }
        }
        visit(0)
        return designs
    }

    /// The designs within both budgets that no other such design weakly dominates on
    /// (latency, area, drop), by latency, area, drop; equal vectors keep the smallest path.
    static func frontier(of designs: [Design], areaBudgetUM2: Double?, dropBudgetPct: Double?) -> [Phase1Point] {
        let areaLimit = areaBudgetUM2.map { Int64(($0 * Phase1Search.resolution).rounded(.down)) }
        let dropLimit = dropBudgetPct.map { Int64(($0 * Phase1Search.accuracyResolution).rounded(.down)) }
        func dominates(_ q: Design, _ p: Design) -> Bool {
            q.latency <= p.latency && q.area <= p.area && q.drop <= p.drop
                && (q.latency < p.latency || q.area < p.area || q.drop < p.drop
                    || q.point.optionPath.lexicographicallyPrecedes(p.point.optionPath))
        }
        // In this order every dominator comes first, and dominance is transitive, so a design
        // is dominated iff an earlier kept design dominates it.
        let feasible = designs.filter { d in
            (areaLimit.map { d.area <= $0 } ?? true) && (dropLimit.map { d.drop <= $0 } ?? true)
        }.sorted { a, b in
            (a.latency, a.area, a.drop) != (b.latency, b.area, b.drop) ? (a.latency, a.area, a.drop) < (b.latency, b.area, b.drop)
                : a.point.optionPath.lexicographicallyPrecedes(b.point.optionPath)
        }
        var kept: [Design] = []
        for p in feasible where !kept.contains(where: { dominates($0, p) }) { kept.append(p) }
        return kept.map(\.point)
    }

    static func frontier(space: SearchSpace, areaBudgetUM2: Double?, accuracy: Phase1AccuracyTerms? = nil) -> [Phase1Point] {
        frontier(of: designs(space: space, accuracy: accuracy), areaBudgetUM2: areaBudgetUM2, dropBudgetPct: accuracy?.budgetPct)
    }
}

@Suite("Phase 1 against brute force")
struct Phase1OracleTests {
    @Test func randomSpacesMatchBruteForce() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000)) { seed in
            let space = try! RandomSpaces.make(seed: UInt64(seed))
            let unconstrained = Phase1Oracle.frontier(space: space, areaBudgetUM2: nil)
            // Budgets: none, and one between the smallest and largest frontier areas.
            let areas = unconstrained.map(\.areaUM2)
            let budgets: [Double?] = [nil, (areas.min()! + areas.max()!) / 2, areas.min()! * 0.5]
            for budget in budgets {
                let expected = budget == nil ? unconstrained : Phase1Oracle.frontier(space: space, areaBudgetUM2: budget)
                for threads in [1, 2] {
                    let search = Phase1Search(workload: space.workload, substrates: Substrates(space: space),
                                              referenceInputBits: space.workload.layers.map { $0.choices.inputBits.max()! },
                                              referenceADCBits: space.workload.layers.map { $0.choices.adcBits.max()! },
                                              areaBudgetUM2: budget)
                    let got = search.run(threads: threads).frontier
                    #expect(got == expected, "seed \(seed), budget \(String(describing: budget)), threads \(threads)")
                }
            }
        }
    }

    @Test func channelStatesOfAChainCarryOnlyThePreviousLayer() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("vgg16-cifar10"))
        let states = ChannelStates(workload: space.workload)
        for i in 0..<12 { #expect(states.liveAfter[i] == [states.entityOfLayer[i]]) }
        #expect(states.liveAfter[13] == [])
    }

    @Test func residualStagesStayLiveAcrossTheirBlocks() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("resnet18-tinyimagenet"))
        let w = space.workload
        let states = ChannelStates(workload: w)
        let stage2 = states.entityOfLayer[w.index(of: "s2b1b")!]
        #expect(states.entityOfLayer[w.index(of: "s2down")!] == stage2)
        // Between the first stage-2 layer and its shortcut, stage 1's and stage 2's counts are both live.
        let i = w.index(of: "s2b1b")!
        #expect(states.liveAfter[i].contains(stage2))
        #expect(states.liveAfter[i].contains(states.entityOfLayer[w.index(of: "s1b2b")!]))
        #expect(states.liveAfter.allSatisfy { $0.count <= 3 })
    }
}
