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
///
/// Latency and area are summed as integers of `resolution` (1 ps, 0.001 um^2): integer sums
/// do not depend on the order of addition, so a label pruned as dominated part-way can never
/// tie with its dominator at the end, which floating-point rounding would allow.
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

    /// Fixed-point units per ns and per um^2.
    public static let resolution = 1000.0

    /// A latency (ns) or area (um^2) in phase-1 units.
    @inlinable
    public static func units(_ x: Double) -> Int64 { Int64((x * resolution).rounded()) }

    public struct Result: Sendable {
        /// The whole (latency, area) frontier, by latency then area.
        public var frontier: [Phase1Point]
        /// Layer options costed (cost-table entries).
        public var optionsCosted: Int
        /// Labels kept after each layer, over all states.
        public var labelsPerLayer: [Int]
    }

    /// Latency and area of every (input-channel choice, option) of every layer, costed in parallel.
    func costTables(options: [Phase1Options], threads: Int) -> [[[(latency: Int64, area: Int64)]]] {
        let inChoices = workload.layers.indices.map(workload.inChannelChoices(of:))
        let jobs = workload.layers.indices.flatMap { l in inChoices[l].indices.map { (l, $0) } }
        let results = ParallelMap.map(jobs, threads: threads) { job -> [(latency: Int64, area: Int64)] in
            let (l, k) = job
            let layer = workload.layers[l]
            return options[l].options.map { o in
                let c = architecture.cost(of: layer, inChannels: inChoices[l][k], design: LayerDesign(
                    outChannels: o.outChannels, adcType: o.adcType, adcBits: referenceADCBits[l],
                    columnSharing: o.columnSharing, inputBits: referenceInputBits[l]))
                return (Self.units(c.latencyNS.total), Self.units(c.areaUM2.total))
            }
        }
        var tables = workload.layers.map { _ in [[(latency: Int64, area: Int64)]]() }
        for (job, table) in zip(jobs, results) { tables[job.0].append(table) }
        return tables
    }

    private struct Label {
        var latency: Int64
        var area: Int64
        var path: [Int32]
    }

    public func run(threads: Int = 1) -> Result {
        let layers = workload.layers
        let options = layers.map(Phase1Options.init(layer:))
        let tables = costTables(options: options, threads: threads)
        let states = ChannelStates(workload: workload)
        let budget = areaBudgetUM2.map { Int64(($0 * Self.resolution).rounded(.down)) }
        var frontier: [[Int]: [Label]] = [[]: [Label(latency: 0, area: 0, path: [])]]
        var labelsPerLayer: [Int] = []
        for (i, layer) in layers.enumerated() {
            let before = states.liveBefore(i), after = states.liveAfter[i]
            let own = states.entityOfLayer[i]
            let ownPosition = before.firstIndex(of: own)
            let inputPosition = layer.inputIndex.map { before.firstIndex(of: states.entityOfLayer[$0])! }
            let inputChoices = workload.inChannelChoices(of: i)
            var next: [[Int]: [Label]] = [:]
            for key in frontier.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let labels = frontier[key]!
                let inIndex = inputPosition.map { inputChoices.firstIndex(of: key[$0])! } ?? 0
                let table = tables[i][inIndex]
                for (o, option) in options[i].options.enumerated() {
                    if let p = ownPosition, key[p] != option.outChannels { continue }
                    var value: [Int: Int] = [:]
                    for (p, e) in before.enumerated() { value[e] = key[p] }
                    value[own] = option.outChannels
                    let newKey = after.map { value[$0]! }
                    let cost = table[o]
                    for label in labels {
                        let area = label.area + cost.area
                        if let budget, area > budget { continue }
                        next[newKey, default: []].append(
                            Label(latency: label.latency + cost.latency, area: area, path: label.path + [Int32(o)]))
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
                        latencyNS: Double(label.latency) / Self.resolution, areaUM2: Double(label.area) / Self.resolution,
                        optionPath: label.path)
        }
        let costed = tables.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        return Result(frontier: points, optionsCosted: costed, labelsPerLayer: labelsPerLayer)
    }

    /// The labels no other label weakly dominates, by latency then area; among equal
    /// vectors the lexicographically smallest path survives.
    private static func paretoFilter(_ labels: [Label]) -> [Label] {
        let sorted = labels.sorted {
            if $0.latency != $1.latency { return $0.latency < $1.latency }
            if $0.area != $1.area { return $0.area < $1.area }
            return $0.path.lexicographicallyPrecedes($1.path)
        }
        var kept: [Label] = []
        var bestArea = Int64.max
        for label in sorted where label.area < bestArea {
            kept.append(label)
            bestArea = label.area
        }
        return kept
    }
}
