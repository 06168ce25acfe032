import Dispatch

/// One phase-1 frontier point: an architecture costed at reference precision.
public struct Phase1Point: Sendable, Hashable {
    public var choices: [ArchitectureChoice]
    public var latencyNS: Double
    public var areaUM2: Double
    /// Per-layer option indices (see `Phase1Options`), the tie-break order of designs.
    public var optionPath: [Int32]
    /// Summed accuracy drop in percentage points; nil when phase 1 ran without accuracy terms.
    public var accuracyDropPct: Double? = nil
}

/// The architecture options of one layer in their fixed order (`LayerOptionSpace.architectures`).
public struct Phase1Options: Sendable {
    public let options: [ArchitectureChoice]

    public init(layer: Layer) { options = LayerOptionSpace(layer: layer).architectures }
}

/// Exact phase 1: a dynamic programme over layers whose labels are the Pareto set of
/// (latency, area, accuracy drop) partial sums, per state of live channel counts
/// (`ChannelStates`); the drop is 0 throughout without accuracy terms. Labels over the area or
/// drop budget are dropped (both only grow). Equal objective vectors keep the design whose
/// option path is lexicographically smallest, as the brute-force oracle does.
///
/// Latency, area and drop are summed as integers of `resolution` (1 ps, 0.001 um^2) and
/// `accuracyResolution` (1e-6 points): integer sums do not depend on the order of addition, so
/// a label pruned as dominated part-way can never tie with its dominator at the end, which
/// floating-point rounding would allow.
public struct Phase1Search: Sendable {
    public let workload: Workload
    public let substrates: Substrates
    /// Input and ADC bits each layer is costed at in phase 1.
    public let referenceInputBits: [Int]
    public let referenceADCBits: [Int]
    public let areaBudgetUM2: Double?
    /// Per-layer accuracy-drop terms, the third objective; nil optimises latency and area only.
    public let accuracy: Phase1AccuracyTerms?

    public init(workload: Workload, substrates: Substrates, referenceInputBits: [Int],
                referenceADCBits: [Int], areaBudgetUM2: Double?, accuracy: Phase1AccuracyTerms? = nil) {
        if let accuracy { accuracy.check(workload: workload) }
        self.workload = workload
        self.substrates = substrates
        self.referenceInputBits = referenceInputBits
        self.referenceADCBits = referenceADCBits
        self.areaBudgetUM2 = areaBudgetUM2
        self.accuracy = accuracy
    }

    /// Fixed-point units per ns and per um^2.
    public static let resolution = 1000.0

    /// A latency (ns) or area (um^2) in phase-1 units.
    @inlinable
    public static func units(_ x: Double) -> Int64 { Int64((x * resolution).rounded()) }

    /// Fixed-point units per percentage point of accuracy drop.
    public static let accuracyResolution = 1e6

    /// An accuracy drop (percentage points) in phase-1 units.
    @inlinable
    public static func accuracyUnits(_ pct: Double) -> Int64 { Int64((pct * accuracyResolution).rounded()) }

    public struct Result: Sendable {
        /// The whole (latency, area, drop) frontier, by latency, area, drop, then option path.
        public var frontier: [Phase1Point]
        /// Layer options costed (cost-table entries).
        public var optionsCosted: Int
        /// Labels kept after each layer, over all states.
        public var labelsPerLayer: [Int]
    }

    /// An architecture at reference precision: on the crossbar the reference ADC and input bits,
    /// on another substrate the largest value of each precision field.
    func referenceDesign(layer l: Int, _ a: ArchitectureChoice) -> LayerDesign {
        switch a.option.substrate {
        case .crossbar:
            return LayerDesign(outChannels: a.outChannels, adcType: a.adcType, adcBits: referenceADCBits[l],
                               columnSharing: a.columnSharing, inputBits: referenceInputBits[l])
        default:
            let choices = workload.layers[l].choices.substrates.first { $0.substrate == a.option.substrate }!
            var values = a.option.values
            for f in choices.precisionFields { values[f] = choices.values[f].max()! }
            return LayerDesign(outChannels: a.outChannels, option: SubstrateOption(substrate: a.option.substrate, values: values))
        }
    }

    /// Latency and area of every (input-channel choice, option) of every layer, costed in parallel.
    func costTables(options: [Phase1Options], threads: Int) -> [[[(latencyNS: Double, areaUM2: Double)]]] {
        let inChoices = workload.layers.indices.map(workload.inChannelChoices(of:))
        let jobs = workload.layers.indices.flatMap { l in inChoices[l].indices.map { (l, $0) } }
        let results = ParallelMap.map(jobs, threads: threads) { job -> [(latencyNS: Double, areaUM2: Double)] in
            let (l, k) = job
            let layer = workload.layers[l]
            return options[l].options.map { o in
                let c = substrates.cost(of: layer, inChannels: inChoices[l][k], design: referenceDesign(layer: l, o))
                return (c.latencyNS.total, c.areaUM2.total)
            }
        }
        var tables = workload.layers.map { _ in [[(latencyNS: Double, areaUM2: Double)]]() }
        for (job, table) in zip(jobs, results) { tables[job.0].append(table) }
        return tables
    }

    public func run(threads: Int = 1) -> Result {
        let layers = workload.layers
        let options = layers.map(Phase1Options.init(layer:))
        let costs = costTables(options: options, threads: threads)
        // Fixed-point scales: 1 ps, 0.001 um^2 and 1e-6 points unless a total could overflow.
        let latencyScale = FixedPoint(resolution: Self.resolution, largestTotal: FixedPoint.largestTotal(costs.map { $0.flatMap { $0.map(\.latencyNS) } }))
        let areaScale = FixedPoint(resolution: Self.resolution, largestTotal: FixedPoint.largestTotal(costs.map { $0.flatMap { $0.map(\.areaUM2) } }))
        let dropScale = FixedPoint(resolution: Self.accuracyResolution,
                                   largestTotal: FixedPoint.largestTotal((accuracy?.dropPct ?? []).map { $0.flatMap { $0 } }))
        let areaBudget = areaBudgetUM2.flatMap(areaScale.budget)
        let dropBudget = accuracy?.budgetPct.flatMap(dropScale.budget)
        let tables = layers.indices.map { l in
            ParetoDP.LayerTable(outChannels: options[l].options.map(\.outChannels), dims: accuracy == nil ? 2 : 3,
                                costs: costs[l].indices.map { k in
                                    costs[l][k].indices.map { o in
                                        ObjectiveVector(latencyScale.units(costs[l][k][o].latencyNS), areaScale.units(costs[l][k][o].areaUM2),
                                                        accuracy.map { dropScale.units($0.dropPct[l][k][o]) } ?? 0, 0)
                                    }
                                })
        }
        let dp = ParetoDP(workload: workload, layers: tables, dims: accuracy == nil ? 2 : 3,
                          budgets: ObjectiveVector(.max, areaBudget ?? .max, dropBudget ?? .max, .max), epsilon: nil,
                          maxLabels: .max)
        // Phase 1 has no label limit: its labels are bounded by the distinct (latency, area, drop) sums.
        let result = try! dp.run(threads: threads)
        let points = result.frontier.map { point in
            Phase1Point(choices: zip(point.path, options).map { $1.options[Int($0)] },
                        latencyNS: latencyScale.value(point.values[0]), areaUM2: areaScale.value(point.values[1]),
                        optionPath: point.path,
                        accuracyDropPct: accuracy == nil ? nil : dropScale.value(point.values[2]))
        }
        let labelsPerLayer = result.labelsPerLayer
        let costed = costs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        return Result(frontier: points, optionsCosted: costed, labelsPerLayer: labelsPerLayer)
    }
}
