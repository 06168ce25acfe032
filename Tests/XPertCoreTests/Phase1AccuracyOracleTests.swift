import PropertyBased
import Testing
@testable import XPertCore

/// Random accuracy-drop terms shaped for a space, reproducible from a seed.
enum RandomAccuracyTerms {
    enum Kind: CaseIterable {
        /// Terms that depend only on the option's out channels, as a width law gives: many ties.
        case widthOnly
        /// Every term drawn from a few exact values.
        case fewValues
        /// Terms of three magnitudes (1e-6, 1e-3, 0.1 points), some below one fixed-point unit.
        case mixedMagnitudes
        /// Terms of either sign; only valid without a drop budget.
        case signed
    }

    static func make(space: SearchSpace, seed: UInt64, kind: Kind) -> [[[Double]]] {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9 &+ 17)
        func pick(_ xs: [Double]) -> Double { xs[Int(rng.next() % UInt64(xs.count))] }
        let w = space.workload
        return w.layers.indices.map { l in
            let options = Phase1Options(layer: w.layers[l]).options
            var byChannels: [Int: Double] = [:]
            for c in w.layers[l].outChannelChoices { byChannels[c] = pick([0, 0.5, 1.25, 3]) }
            return w.inChannelChoices(of: l).map { _ in
                options.map { o in
                    switch kind {
                    case .widthOnly: byChannels[o.outChannels]!
                    case .fewValues: pick([0, 0.25, 0.5, 1, 2])
                    case .mixedMagnitudes: Double(rng.next() % 8) * pick([1e-7, 1e-6, 1e-3, 0.1])
                    case .signed: pick([-1, -0.25, 0, 0.5, 2])
                    }
                }
            }
        }
    }
}

@Suite("Phase 1 with accuracy terms against brute force")
struct Phase1AccuracyOracleTests {
    static func search(_ space: SearchSpace, areaBudgetUM2: Double?, accuracy: Phase1AccuracyTerms?) -> Phase1Search {
        Phase1Search(workload: space.workload, substrates: Substrates(space: space),
                     referenceInputBits: space.workload.layers.map { $0.choices.inputBits.max()! },
                     referenceADCBits: space.workload.layers.map { $0.choices.adcBits.max()! },
                     areaBudgetUM2: areaBudgetUM2, accuracy: accuracy)
    }

    @Test func randomTermsMatchBruteForce() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000)) { seed in
            let space = try! RandomSpaces.make(seed: UInt64(seed))
            let kind = RandomAccuracyTerms.Kind.allCases[seed % RandomAccuracyTerms.Kind.allCases.count]
            let drops = RandomAccuracyTerms.make(space: space, seed: UInt64(seed), kind: kind)
            let designs = Phase1Oracle.designs(space: space, accuracy: Phase1AccuracyTerms(dropPct: drops, budgetPct: nil))
            let free = Phase1Oracle.frontier(of: designs, areaBudgetUM2: nil, dropBudgetPct: nil)
            let areas = free.map(\.areaUM2), frontierDrops = free.compactMap(\.accuracyDropPct)
            #expect(frontierDrops.count == free.count)
            // Budgets: none, one in the middle of the frontier's range, and its lowest value.
            let areaBudgets: [Double?] = [nil, (areas.min()! + areas.max()!) / 2]
            let dropBudgets: [Double?] = kind == .signed ? [nil]
                : [nil, (frontierDrops.min()! + frontierDrops.max()!) / 2, frontierDrops.min()!]
            for areaBudget in areaBudgets {
                for dropBudget in dropBudgets {
                    let terms = Phase1AccuracyTerms(dropPct: drops, budgetPct: dropBudget)
                    let expected = Phase1Oracle.frontier(of: designs, areaBudgetUM2: areaBudget, dropBudgetPct: dropBudget)
                    for threads in [1, 2] {
                        let got = Self.search(space, areaBudgetUM2: areaBudget, accuracy: terms).run(threads: threads).frontier
                        #expect(got == expected, """
                            seed \(seed), \(kind), area budget \(String(describing: areaBudget)), \
                            drop budget \(String(describing: dropBudget)), threads \(threads)
                            """)
                    }
                }
            }
        }
    }

    @Test func zeroTermsLeaveTheTwoObjectiveFrontier() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0...1_000_000)) { seed in
            let space = try! RandomSpaces.make(seed: UInt64(seed))
            let zeros = space.workload.layers.indices.map { l in
                space.workload.inChannelChoices(of: l).map { _ in
                    Phase1Options(layer: space.workload.layers[l]).options.map { _ in 0.0 }
                }
            }
            let plain = Self.search(space, areaBudgetUM2: nil, accuracy: nil).run()
            let zero = Self.search(space, areaBudgetUM2: nil, accuracy: Phase1AccuracyTerms(dropPct: zeros, budgetPct: 0)).run()
            #expect(plain.frontier.allSatisfy { $0.accuracyDropPct == nil })
            #expect(zero.frontier.allSatisfy { $0.accuracyDropPct == 0 })
            #expect(zero.frontier.map(\.optionPath) == plain.frontier.map(\.optionPath), "seed \(seed)")
            #expect(zero.labelsPerLayer == plain.labelsPerLayer, "seed \(seed)")
        }
    }

    /// The merge and filter of one new state against pairwise dominance, in one to four
    /// dimensions, on small coordinates so that ties and dominated runs are common.
    @Test func mergeFilterMatchesPairwiseDominance() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let dims = 1 + Int(rng.next() % 4)
            func small() -> ObjectiveVector {
                var v = ObjectiveVector.zero
                for d in 0..<dims { v[d] = Int64(rng.next() % 5) }
                return v
            }
            // Previous states: labels ranked by a random permutation (ranks are paths), each in `precedes` order.
            let sizes = (0..<1 + Int(rng.next() % 3)).map { _ in Int(rng.next() % 12) }
            var ranks = (0..<Int32(sizes.reduce(0, +))).shuffled(using: &rng)
            let states = sizes.map { n in
                let labels = (0..<n).map { _ in DPLabel(v: small(), parent: ranks.removeLast(), option: 0) }.sorted(by: DPLabel.precedes)
                return DPState(key: [], labels: labels, ranks: labels.map(\.parent))
            }
            let runs = states.indices.flatMap { s in
                (0..<Int32(6)).filter { _ in rng.next() % 2 == 0 }.map { o in DPRun(state: s, option: o, cost: small()) }
            }
            var budgets = ObjectiveVector(repeating: .max)
            for d in 0..<dims where rng.next() % 2 == 0 { budgets[d] = Int64(3 + rng.next() % 6) }
            let candidates = runs.flatMap { run in
                zip(states[run.state].labels, states[run.state].ranks).map { label, rank in
                    DPLabel(v: label.v &+ run.cost, parent: rank, option: run.option)
                }
            }.filter { all($0.v .<= budgets) }
            func dominates(_ q: DPLabel, _ p: DPLabel) -> Bool {
                all(q.v .<= p.v) && (q.v != p.v || (q.parent, q.option) < (p.parent, p.option))
            }
            let expected = candidates.filter { p in !candidates.contains { dominates($0, p) } }.sorted(by: DPLabel.precedes)
            let got = DPLabel.mergeFilter(states: states, runs: runs, dims: dims, budgets: budgets, grid: nil)
            func vectors(_ ls: [DPLabel]) -> [[Int64]] { ls.map { [$0.v[0], $0.v[1], $0.v[2], $0.v[3], Int64($0.parent), Int64($0.option)] } }
            #expect(vectors(got) == vectors(expected), "seed \(seed), dims \(dims)")
        }
    }

    /// With an epsilon grid, every exactly nondominated candidate has a kept label within a
    /// factor 1 + delta of it in every dimension but the first (where it is at most it), on
    /// value + offset.
    @Test func epsilonMergeCoversEveryCandidate() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let dims = 2 + Int(rng.next() % 3)
            func value() -> ObjectiveVector {
                var v = ObjectiveVector.zero
                for d in 0..<dims { v[d] = Int64(rng.next() % 1000) }
                return v
            }
            let labels = (0..<Int32(40)).map { DPLabel(v: value(), parent: $0, option: 0) }.sorted(by: DPLabel.precedes)
            let state = DPState(key: [], labels: labels, ranks: labels.map(\.parent))
            let runs = (0..<Int32(5)).map { DPRun(state: 0, option: $0, cost: value()) }
            let offsets = (0..<dims).map { _ in Double(rng.next() % 500) }
            var tail = ObjectiveVector.zero
            for d in 0..<dims { tail[d] = Int64(offsets[d]) }
            let grid = EpsilonGrid(epsilon: 0.2, layers: 0)
            let delta = 0.2 // one merge: the whole epsilon
            let kept = DPLabel.mergeFilter(states: [state], runs: runs, dims: dims, budgets: ObjectiveVector(repeating: .max),
                                           tail: tail, grid: grid)
            let exact = DPLabel.mergeFilter(states: [state], runs: runs, dims: dims, budgets: ObjectiveVector(repeating: .max), grid: nil)
            #expect(kept.count <= exact.count)
            for c in exact {
                let covered = kept.contains { k in
                    k.v[0] <= c.v[0] && (1..<dims).allSatisfy { d in
                        Double(k.v[d]) + offsets[d] <= (1 + delta) * (Double(c.v[d]) + offsets[d]) * (1 + 1e-12)
                    }
                }
                #expect(covered, "seed \(seed): \(c.v) has no cover")
            }
        }
    }
}

@Suite("Phase 1 architectures for phase 2")
struct Phase1ArchitecturesTests {
    /// Six frontier points in frontier order; point i has option path [i].
    static func result(drops: [Double?]) -> Phase1Search.Result {
        let frontier = drops.enumerated().map { i, drop in
            Phase1Point(choices: [], latencyNS: Double(i + 1), areaUM2: Double(100 - 10 * i), optionPath: [Int32(i)],
                        accuracyDropPct: drop)
        }
        return Phase1Search.Result(frontier: frontier, optionsCosted: 0, labelsPerLayer: [])
    }

    static func picked(_ r: Phase1Search.Result, _ count: Int, spread: Bool) -> [Int32] {
        r.architectures(count: count, spreadOverAccuracy: spread).map { $0.optionPath[0] }
    }

    @Test func spreadPicksTheFastestPointPerAccuracyLevel() {
        let r = Self.result(drops: [5, 4, 2.5, 1, 0, 3])
        #expect(Self.picked(r, 0, spread: true) == [])
        // One level: the highest drop, met first by the fastest point.
        #expect(Self.picked(r, 1, spread: true) == [0])
        #expect(Self.picked(r, 2, spread: true) == [0, 4])
        // Levels 0, 2.5, 5.
        #expect(Self.picked(r, 3, spread: true) == [0, 2, 4])
        // Levels 0, 5/3, 10/3, 5.
        #expect(Self.picked(r, 4, spread: true) == [0, 2, 3, 4])
        // Levels 0, 1.25, 2.5, 3.75, 5 pick 4, 3, 2, 2, 0; the duplicate is filled with point 1.
        #expect(Self.picked(r, 5, spread: true) == [0, 1, 2, 3, 4])
        #expect(Self.picked(r, 9, spread: true) == [0, 1, 2, 3, 4, 5])
    }

    @Test func withoutSpreadTheFastestPointsAreTaken() {
        let r = Self.result(drops: [5, 4, 2.5, 1, 0, 3])
        #expect(Self.picked(r, 3, spread: false) == [0, 1, 2])
        #expect(Self.picked(r, 9, spread: false) == [0, 1, 2, 3, 4, 5])
        // Without accuracy terms spreading has no levels to spread over.
        let plain = Self.result(drops: [nil, nil, nil, nil])
        #expect(Self.picked(plain, 2, spread: true) == [0, 1])
        #expect(Self.picked(Self.result(drops: []), 3, spread: true) == [])
    }
}

@Suite("Dominance filter")
struct DominanceFilterTests {
    /// Points in order of their first dimension, admitted one by one, keep exactly the
    /// nondominated ones (equal vectors: the first), in one to four dimensions and on value
    /// ranges wide enough for the four-dimensional filter's buckets.
    @Test func admitsExactlyTheNondominatedPoints() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let dims = 1 + Int(rng.next() % 4)
            let range = [3, 50, 100_000][Int(rng.next() % 3)]
            let points = (0..<Int(1 + rng.next() % 3000)).map { _ -> ObjectiveVector in
                var v = ObjectiveVector.zero
                for d in 0..<dims { v[d] = Int64(rng.next() % UInt64(range)) }
                return v
            }.sorted { lexicographicOrder($0, $1) ?? false }
            var filter = DominanceFilter(dims: dims, secondValues: points.map { $0[1] })
            let kept = points.indices.filter { filter.admit(points[$0]) }
            let expected = points.indices.filter { i in !points[..<i].contains { all($0 .<= points[i]) } }
            #expect(kept == expected, "seed \(seed), dims \(dims), range \(range)")
        }
    }
}
