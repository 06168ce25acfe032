import Foundation
@testable import XPertCore

/// A random phase-2 problem: a small random space with wider precision choices, and one
/// architecture picked from its phase-1 options (channel groups respected).
struct Phase2Instance {
    var space: SearchSpace
    var architecture: Substrates
    var choices: [ArchitectureChoice]
    var table: Phase2CostTable
    var rng: SplitMix64

    init(seed: UInt64) {
        var space = try! RandomSpaces.make(seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5EED_0F_F1A5E2)
        func subset(_ xs: [Int], max: Int) -> [Int] {
            let n = 1 + Int(rng.next() % UInt64(max))
            return Array(xs.shuffled(using: &rng).prefix(n)).sorted()
        }
        // Shared lists (layers of one shape then have identical options), sometimes per layer,
        // sometimes in descending order (the option order is the tie-break order).
        let adc = subset(Array(2...8), max: 3), input = subset([1, 2, 3, 4, 6, 8], max: 3)
        for l in space.workload.layers.indices {
            var c = space.workload.layers[l].choices
            let own = rng.next() % 4 == 0
            c.adcBits = own ? subset(Array(2...8), max: 3) : adc
            c.inputBits = own ? subset([1, 2, 3, 4, 6, 8], max: 3) : input
            if rng.next() % 5 == 0 { c.inputBits.reverse() }
            space.workload.layers[l].choices = c
        }
        let architecture = Substrates(space: space)
        var picked: [ArchitectureChoice] = []
        var groupChannels: [String: Int] = [:]
        for layer in space.workload.layers {
            let options = Phase1Options(layer: layer).options
            var choice = options[Int(rng.next() % UInt64(options.count))]
            if let g = layer.channelGroup {
                if let c = groupChannels[g] { choice.outChannels = c } else { groupChannels[g] = choice.outChannels }
            }
            picked.append(choice)
        }
        self.space = space
        self.architecture = architecture
        self.rng = rng
        choices = picked
        table = Phase2CostTable(workload: space.workload, substrates: architecture, choices: picked)
    }

    /// Made-up values on the same options, by `kind`: 0 the real costs (which all fall with
    /// fewer bits: a one-point cost frontier), 1 metrics that trade off, 2 small integers (many exact
    /// ties), 3 trade-offs with near-duplicate options (values 1e-10 apart, below GLPK's
    /// resolution). Every kind gets a random accuracy-drop column (``accuracyDrops(kind:)``).
    /// Layers with the same options sometimes get the same values (symmetry).
    mutating func useSyntheticTable(kind: Int) {
        let options = table.options
        let drops = accuracyDrops(kind: rng.next() % 3)
        guard kind != 0 else {
            table = Phase2CostTable(workload: space.workload, substrates: architecture, choices: choices, accuracyDropPct: drops)
            return
        }
        var values = table.values
        let accuracy = Phase2Metric.accuracyDrop.index
        for l in options.indices {
            let scale = pow(10, Double(rng.next() % 4))
            for o in options[l].options.indices {
                let u = unit()
                let v: [Double]
                switch kind {
                case 2: v = (0..<3).map { _ in Double(rng.next() % 9) }
                default: v = [scale * (1 + 3 * u), scale * (4 - 3 * u) * (0.8 + 0.4 * unit()), scale * (1 + unit())]
                }
                for m in 0..<3 { values[m][l][o] = v[m] }
                values[accuracy][l][o] = drops[l][o]
                if kind == 3, o > 0, rng.next() % 3 == 0 {
                    let twin = Int(rng.next() % UInt64(o))
                    for m in values.indices { values[m][l][o] = values[m][l][twin] * (1 + 1e-10 * Double(1 + rng.next() % 3)) }
                }
            }
        }
        for l in options.indices.dropFirst() where options[l] == options[0] && rng.next() % 2 == 0 {
            for m in values.indices { values[m][l] = values[m][0] }
        }
        table = Phase2CostTable(workload: table.workload, choices: table.choices, options: options, values: values)
    }

    /// Accuracy drops per layer and option, percentage points, by `kind`: 0 small integers from
    /// -2 to 6 (exact ties, some gains), 1 uniform in [-0.5, 3.5), 2 falling with more bits (a
    /// trade-off against the real costs) with some options slightly below zero.
    mutating func accuracyDrops(kind: UInt64) -> [[Double]] {
        table.options.map { layer in
            layer.options.map { option in
                switch kind {
                case 0: return Double(Int(rng.next() % 9) - 2)
                case 1: return 4 * unit() - 0.5
                default:
                    let bits = Double(option.adcBits + option.inputBits)
                    return 40 * pow(2, -bits / 2) * (0.5 + unit()) - 0.3 * unit()
                }
            }
        }
    }

    mutating func unit() -> Double { Double(rng.next() % 1_000_001) / 1_000_000 }

    /// Budgets on `count` metrics (`required` ones among them, the rest at random) placed in the
    /// achievable range of each metric (sometimes below it), in report units.
    mutating func budgets(_ oracle: Phase2Oracle, count: Int, below: Bool, including required: [Phase2Metric] = []) -> Constraints {
        var c = Constraints()
        let others = Phase2Metric.allCases.filter { !required.contains($0) }.shuffled(using: &rng)
        for m in (required + others).prefix(max(count, required.count)) {
            let lo = oracle.minimum(m), hi = oracle.maximum(m)
            let u = below && rng.next() % 2 == 0 ? -0.05 * unit() : 0.02 + 0.9 * unit()
            let limit = (lo + u * (hi - lo)) / m.reportScale
            switch m {
            case .energy: c.energyUJ = max(limit, 1e-12)
            case .latency: c.latencyMS = max(limit, 1e-12)
            case .area: c.areaMM2 = max(limit, 1e-12)
            case .accuracyDrop: c.accuracyDropPct = limit // drops may be negative
            default: preconditionFailure("a metric the oracle does not know")
            }
        }
        return c
    }

    func search(_ constraints: Constraints, _ objectives: [Objective], _ settings: Phase2Settings = Phase2Settings()) -> Phase2Search {
        Phase2Search(workload: space.workload, substrates: architecture, choices: choices,
                     constraints: constraints, objectives: objectives, settings: settings)
    }

    /// Phase 2 on this instance's table (real or synthetic).
    func run(_ constraints: Constraints, _ objectives: [Objective], _ settings: Phase2Settings = Phase2Settings()) throws -> Phase2Result {
        try search(constraints, objectives, settings).run(table: table)
    }
}

/// Brute force over every option path of a `Phase2CostTable`: the oracle of phase 2.
struct Phase2Oracle {
    struct Entry: Equatable {
        var path: [Int]
        var totals: [Double]
        func total(_ m: Phase2Metric) -> Double { totals[m.index] }
        func meets(_ c: Constraints) -> Bool {
            Phase2Metric.allCases.allSatisfy { m in m.limit(in: c).map { total(m) / m.reportScale <= $0 } ?? true }
        }
        func value(_ o: Objective) -> Double {
            switch o {
            case .energy: return total(.energy)
            case .latency: return total(.latency)
            case .area: return total(.area)
            case .edap: return total(.energy) / 1e6 * (total(.latency) / 1e6) * (total(.area) / 1e6)
            case .accuracy: return total(.accuracyDrop)
            default: preconditionFailure("an objective the oracle does not know")
            }
        }
    }

    let entries: [Entry]
    /// Per metric, the largest total less the smallest.
    let range: [Double]

    init(_ table: Phase2CostTable) {
        var out: [Entry] = []
        var path = [Int](repeating: 0, count: table.layerCount)
        func visit(_ l: Int) {
            if l == path.count {
                out.append(Entry(path: path, totals: Phase2Metric.allCases.map { table.total($0, path: path) }))
                return
            }
            for o in table.options[l].options.indices {
                path[l] = o
                visit(l + 1)
            }
        }
        visit(0)
        entries = out
        range = Phase2Metric.allCases.map { m in out.map { $0.total(m) }.max()! - out.map { $0.total(m) }.min()! }
    }

    /// Whether GLPK cannot tell two designs apart: every total within 1e-7 of the metric's range
    /// (GLPK sees each range scaled to 1, and its tolerances are about 1e-7 there).
    func indistinguishable(_ a: Entry, _ b: Entry) -> Bool {
        Phase2Metric.allCases.allSatisfy { abs(a.total($0) - b.total($0)) <= 1e-7 * range[$0.index] }
    }

    func minimum(_ m: Phase2Metric) -> Double { entries.map { $0.total(m) }.min()! }
    func minimum(_ m: Phase2Metric, among entries: [Entry]) -> Double? { entries.map { $0.total(m) }.min() }
    func maximum(_ m: Phase2Metric) -> Double { entries.map { $0.total(m) }.max()! }

    func feasible(_ c: Constraints) -> [Entry] { entries.filter { $0.meets(c) } }

    /// The lexicographic minimum by `order`, then path.
    static func lexMin(_ entries: [Entry], _ order: [Phase2Metric]) -> Entry? {
        entries.min { a, b in
            for m in order where a.total(m) != b.total(m) { return a.total(m) < b.total(m) }
            return a.path.lexicographicallyPrecedes(b.path)
        }
    }

    /// Whether no entry weakly dominates `e` by the objectives (equal vectors: smaller path wins).
    static func isNondominated(_ e: Entry, among entries: [Entry], _ objectives: [Objective]) -> Bool {
        dominators(of: e, among: entries, objectives).isEmpty
    }

    static func dominators(of e: Entry, among entries: [Entry], _ objectives: [Objective]) -> [Entry] {
        let v = objectives.map(e.value)
        return entries.filter { q in
            let w = objectives.map(q.value)
            return q.path != e.path && zip(w, v).allSatisfy { $0 <= $1 }
                && (zip(w, v).contains { $0 < $1 } || q.path.lexicographicallyPrecedes(e.path))
        }
    }

    /// The exact frontier of two objectives, sorted by (f1, f2, path).
    static func frontier2(_ entries: [Entry], _ objectives: [Objective]) -> [Entry] {
        let sorted = entries.sorted { a, b in
            let (va, vb) = (objectives.map(a.value), objectives.map(b.value))
            if va != vb { return va.lexicographicallyPrecedes(vb) }
            return a.path.lexicographicallyPrecedes(b.path)
        }
        var out: [Entry] = []
        var best = Double.infinity
        for e in sorted where e.value(objectives[1]) < best {
            out.append(e)
            best = e.value(objectives[1])
        }
        return out
    }
}

extension Phase2Point {
    var entry: Phase2Oracle.Entry {
        Phase2Oracle.Entry(path: optionPath.map(Int.init), totals: [energyPJ, latencyNS, areaUM2, accuracyDropPct])
    }
}
