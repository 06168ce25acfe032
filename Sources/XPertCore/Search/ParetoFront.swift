/// The final nondominated filter over evaluated designs.
public enum ParetoFront {
    /// The value of an objective for a design (smaller is better): accuracy counts as its drop.
    public static func value(_ objective: Objective, _ e: DesignEvaluation) -> Double {
        let t = e.totals
        switch objective {
        case .energy: return t.energyUJ
        case .latency: return t.latencyMS
        case .area: return t.areaMM2
        case .edap: return t.edap
        case .accuracy:
            guard let accuracy = e.accuracy else { preconditionFailure("the accuracy objective needs estimated designs") }
            return accuracy.dropPct
        }
    }

    /// Designs no other design weakly dominates on `objectives`; equal vectors keep the
    /// design that comes first in the workload's choice order. Sorted by objective vector.
    public static func filter(_ designs: [DesignEvaluation], objectives: [Objective], workload: Workload) -> [DesignEvaluation] {
        let keys = designs.map { designKey($0.design, workload: workload) }
        let vectors = designs.map { d in objectives.map { value($0, d) } }
        var seen = Set<[Int]>()
        let unique = designs.indices.filter { seen.insert(keys[$0]).inserted }
        let order = unique.sorted { a, b in
            vectors[a] != vectors[b] ? vectors[a].lexicographicallyPrecedes(vectors[b]) : keys[a].lexicographicallyPrecedes(keys[b])
        }
        var kept: [Int] = []
        for i in order where !kept.contains(where: { j in zip(vectors[j], vectors[i]).allSatisfy { $0 <= $1 } }) {
            kept.append(i)
        }
        return kept.map { designs[$0] }
    }

    /// A design as per-layer choice indices, for ordering and deduplication.
    public static func designKey(_ design: Design, workload: Workload) -> [Int] {
        zip(design.layers, workload.layers).flatMap { d, l in
            [l.outChannelChoices.firstIndex(of: d.outChannels)!, l.choices.adcTypes.firstIndex(of: d.adcType)!,
             l.choices.columnSharing.firstIndex(of: d.columnSharing)!, l.choices.inputBits.firstIndex(of: d.inputBits)!,
             l.choices.adcBits.firstIndex(of: d.adcBits)!]
        }
    }
}
