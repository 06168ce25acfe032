import Dispatch

/// The phase-1 decisions of one layer: network width and crossbar periphery.
public struct ArchitectureChoice: Sendable, Hashable {
    public var outChannels: Int
    public var adcType: ADCType
    public var columnSharing: Int
}

/// One phase-1 frontier point: an architecture costed at reference precision.
public struct Phase1Point: Sendable, Hashable {
    public var choices: [ArchitectureChoice]
    public var latencyNS: Double
    public var areaUM2: Double
    /// Per-layer option indices (see `Phase1Options`), the tie-break order of designs.
    public var optionPath: [Int32]
}

/// The architecture options of one layer in their fixed order: channels, ADC type, sharing.
public struct Phase1Options: Sendable {
    public let options: [ArchitectureChoice]

    public init(layer: Layer) {
        var out: [ArchitectureChoice] = []
        for c in layer.outChannelChoices {
            for t in layer.choices.adcTypes {
                for m in layer.choices.columnSharing { out.append(ArchitectureChoice(outChannels: c, adcType: t, columnSharing: m)) }
            }
        }
        options = out
    }
}

/// Exact phase 1: a dynamic programme over layers whose labels are the Pareto set of
/// (latency, area) partial sums, per state of live channel counts (`ChannelStates`); labels
/// over the area budget are dropped (area only grows). Equal objective vectors keep the
/// design whose option path is lexicographically smallest, as the brute-force oracle does.
public struct Phase1Search: Sendable {
    public let workload: Workload
    public let architecture: CrossbarArchitecture
    /// Input and ADC bits each layer is costed at in phase 1.
    public let referenceInputBits: [Int]
    public let referenceADCBits: [Int]
    public let areaBudgetUM2: Double?

    public init(workload: Workload, architecture: CrossbarArchitecture, referenceInputBits: [Int],
                referenceADCBits: [Int], areaBudgetUM2: Double?) {
        self.workload = workload
        self.architecture = architecture
        self.referenceInputBits = referenceInputBits
        self.referenceADCBits = referenceADCBits
        self.areaBudgetUM2 = areaBudgetUM2
    }

    public struct Result: Sendable {
        /// The whole (latency, area) frontier, by latency then area.
        public var frontier: [Phase1Point]
        /// Layer options costed (cost-table entries).
        public var optionsCosted: Int
        /// Labels kept after each layer, over all states.
        public var labelsPerLayer: [Int]
    }

    /// Latency and area of every (input-channel choice, option) of every layer, costed in parallel.
    func costTables(options: [Phase1Options], threads: Int) -> [[[(latencyNS: Double, areaUM2: Double)]]] {
        let inChoices = workload.layers.map { l in l.inputIndex.map { workload.layers[$0].outChannelChoices } ?? [workload.input.channels] }
        let jobs = workload.layers.indices.flatMap { l in inChoices[l].indices.map { (l, $0) } }
        let results = ParallelMap.map(jobs, threads: threads) { job -> [(latencyNS: Double, areaUM2: Double)] in
            let (l, k) = job
            let layer = workload.layers[l]
            return options[l].options.map { o in
                let c = architecture.cost(of: layer, inChannels: inChoices[l][k], design: LayerDesign(
                    outChannels: o.outChannels, adcType: o.adcType, adcBits: referenceADCBits[l],
                    columnSharing: o.columnSharing, inputBits: referenceInputBits[l]))
                return (c.latencyNS.total, c.areaUM2.total)
            }
        }
        var tables = workload.layers.map { _ in [[(latencyNS: Double, areaUM2: Double)]]() }
        for (job, table) in zip(jobs, results) { tables[job.0].append(table) }
        return tables
    }

    private struct Label {
        var latencyNS: Double
        var areaUM2: Double
        var path: [Int32]
    }

    public func run(threads: Int = 1) -> Result {
        let layers = workload.layers
        let options = layers.map(Phase1Options.init(layer:))
        let tables = costTables(options: options, threads: threads)
        let states = ChannelStates(workload: workload)
        var frontier: [[Int]: [Label]] = [[]: [Label(latencyNS: 0, areaUM2: 0, path: [])]]
        var labelsPerLayer: [Int] = []
        for (i, layer) in layers.enumerated() {
            let before = states.liveBefore(i), after = states.liveAfter[i]
            let own = states.entityOfLayer[i]
            let ownPosition = before.firstIndex(of: own)
            let inputPosition = layer.inputIndex.map { before.firstIndex(of: states.entityOfLayer[$0])! }
            let inputChoices = layer.inputIndex.map { layers[$0].outChannelChoices }
            var next: [[Int]: [Label]] = [:]
            for key in frontier.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let labels = frontier[key]!
                let inIndex = inputPosition.map { inputChoices!.firstIndex(of: key[$0])! } ?? 0
                let table = tables[i][inIndex]
                for (o, option) in options[i].options.enumerated() {
                    if let p = ownPosition, key[p] != option.outChannels { continue }
                    var value: [Int: Int] = [:]
                    for (p, e) in before.enumerated() { value[e] = key[p] }
                    value[own] = option.outChannels
                    let newKey = after.map { value[$0]! }
                    let cost = table[o]
                    for label in labels {
                        let area = label.areaUM2 + cost.areaUM2
                        if let budget = areaBudgetUM2, area > budget { continue }
                        next[newKey, default: []].append(
                            Label(latencyNS: label.latencyNS + cost.latencyNS, areaUM2: area, path: label.path + [Int32(o)]))
                    }
                }
            }
            for (key, bucket) in next { next[key] = Self.paretoFilter(bucket) }
            frontier = next.filter { !$0.value.isEmpty }
            labelsPerLayer.append(frontier.values.reduce(0) { $0 + $1.count })
        }
        let final = Self.paretoFilter(frontier.values.flatMap { $0 })
        let points = final.map { label in
            Phase1Point(choices: zip(label.path, options).map { $1.options[Int($0)] },
                        latencyNS: label.latencyNS, areaUM2: label.areaUM2, optionPath: label.path)
        }
        let costed = tables.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        return Result(frontier: points, optionsCosted: costed, labelsPerLayer: labelsPerLayer)
    }

    /// The labels no other label weakly dominates, by latency then area; among equal
    /// vectors the lexicographically smallest path survives.
    private static func paretoFilter(_ labels: [Label]) -> [Label] {
        let sorted = labels.sorted {
            if $0.latencyNS != $1.latencyNS { return $0.latencyNS < $1.latencyNS }
            if $0.areaUM2 != $1.areaUM2 { return $0.areaUM2 < $1.areaUM2 }
            return $0.path.lexicographicallyPrecedes($1.path)
        }
        var kept: [Label] = []
        var bestArea = Double.infinity
        for label in sorted where label.areaUM2 < bestArea {
            kept.append(label)
            bestArea = label.areaUM2
        }
        return kept
    }
}
