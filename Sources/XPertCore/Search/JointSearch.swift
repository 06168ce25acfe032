import Foundation

/// The joint search over every per-layer option at once (`"method": "exact"`, the default).
///
/// Costs are per layer and a layer depends on its neighbours only through channel counts, so a
/// dynamic programme over layers (`ParetoDP`) whose labels carry every objective dimension of
/// the space gives the exact joint frontier: energy, latency and area as themselves, `edap` as
/// its three factors (an EDAP-optimal design is nondominated in energy, latency and area), and
/// `accuracy` as the summed per-layer accuracy drop. A budget on a metric that is not an
/// objective adds that metric as a dimension, so that labels over it can be dropped. Options
/// dominated within their (layer, input channels, output channels) cell are dropped first.
///
/// Sums are fixed point: 1 fJ, 1 ps, 0.001 µm² and 1e-6 points (`FixedPoint`); "exact" means
/// exact on those sums. With `epsilon`, the frontier is an epsilon-Pareto set instead (see
/// `EpsilonGrid`).
public struct JointSearch: Sendable {
    public let workload: Workload
    public let options: [LayerOptionSpace]
    public let table: JointCostTable
    /// The dimensions the labels carry, in order.
    public let dimensions: [Phase2Metric]
    /// Per-dimension budgets in raw units (pJ, ns, µm², points); nil: none.
    public let budgets: [Double?]
    /// Relative epsilon of the epsilon-Pareto mode; nil: exact.
    public let epsilon: Double?
    public let maxLabels: Int
    /// The objectives of the final filter: with `edap` among them, labels every completion of
    /// which a known design beats on them are dropped (`BoundPruning`).
    public let finalObjectives: [Objective]
    /// In the epsilon mode, the absolute tolerance of the accuracy drop, points.
    public let accuracyTolerancePct: Double?

    /// Fixed-point units per raw unit of each metric (`Phase2Metric.index` order).
    public static let resolution: [Double] = [1000, 1000, 1000, 1e6]

    public struct Result: Sendable {
        /// The labels' frontier: option paths and fixed-point objective sums, in lexicographic
        /// order of the sums, then path.
        public var frontier: [(path: [Int32], values: ObjectiveVector)]
        public var labelsPerLayer: [Int]
        public var scales: [FixedPoint]
        /// Options left after pruning within cells, over all layers and input choices.
        public var optionsKept: Int
    }

    /// The search does not fit: a layer's labels passed `maxLabels`.
    public struct TooManyLabels: Error, Sendable, CustomStringConvertible {
        public let layer: String
        public let labels: Int
        public let limit: Int
        public var description: String {
            "the exact frontier passed \(limit) labels after layer \(layer) (\(labels)); set search.epsilon (0.001, say) "
                + "for an epsilon-Pareto frontier with a stated guarantee, or raise search.max_labels"
        }
    }

    public init(workload: Workload, options: [LayerOptionSpace], table: JointCostTable, dimensions: [Phase2Metric],
                budgets: [Double?], epsilon: Double?, maxLabels: Int, finalObjectives: [Objective] = [],
                accuracyTolerancePct: Double? = nil) {
        precondition((1...4).contains(dimensions.count) && budgets.count == dimensions.count)
        self.finalObjectives = finalObjectives
        self.accuracyTolerancePct = accuracyTolerancePct
        self.workload = workload
        self.options = options
        self.table = table
        self.dimensions = dimensions
        self.budgets = budgets
        self.epsilon = epsilon
        self.maxLabels = maxLabels
    }

    /// The dimensions for `objectives` and `constraints`: the objectives' metrics in order of
    /// first mention (`edap`: energy, latency, area; `accuracy`: the drop), then budgeted
    /// metrics not among them. No objective: energy, latency, area.
    public static func dimensions(objectives: [Objective], constraints: Constraints) -> [Phase2Metric] {
        var out = Phase2Search.sweepMetrics(for: objectives)
        for m in Phase2Metric.allCases where m.limit(in: constraints) != nil && !out.contains(m) { out.append(m) }
        return out
    }

    public func run(threads: Int, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let dims = dimensions.count
        let (table, dimensions, options) = (self.table, self.dimensions, self.options)
        let scales = dimensions.map { m in
            FixedPoint(resolution: Self.resolution[m.index], largestTotal: table.largestTotal(m))
        }
        @Sendable func vector(_ l: Int, _ k: Int, _ o: Int) -> ObjectiveVector {
            var v = ObjectiveVector.zero
            for (d, m) in dimensions.enumerated() { v[d] = scales[d].units(table.value(m, layer: l, inChoice: k, option: o)) }
            return v
        }
        let layers = ParallelMap.map(Array(workload.layers.indices), threads: threads) { l in
            ParetoDP.LayerTable(outChannels: (0..<options[l].count).map { options[l].design($0).outChannels }, dims: dims,
                                costs: (0..<table.inChoices[l].count).map { k in (0..<options[l].count).map { vector(l, k, $0) } })
        }
        var budget = ObjectiveVector(repeating: .max)
        for d in 0..<dims { if let b = budgets[d] { budget[d] = scales[d].budget(b) ?? .max } }
        let grid = epsilon.map { eps -> EpsilonGrid in
            var absolute: [Double?] = [nil, nil, nil, nil]
            if let d = dimensions.firstIndex(of: .accuracyDrop) {
                absolute[d] = (accuracyTolerancePct ?? eps * 100) * scales[d].unitsPerValue
            }
            return EpsilonGrid(epsilon: eps, layers: workload.layers.count, absoluteTolerance: absolute)
        }
        var dp = ParetoDP(workload: workload, layers: layers, dims: dims, budgets: budget, epsilon: grid, maxLabels: maxLabels)
        dp.bound = boundPruning(layers: layers, budget: budget, threads: threads)
        do {
            let result = try dp.run(threads: threads, progress: progress)
            return Result(frontier: result.frontier.map { ($0.path, $0.values) }, labelsPerLayer: result.labelsPerLayer,
                          scales: scales, optionsKept: layers.reduce(0) { $0 + $1.options.reduce(0) { $0 + $1.count } })
        } catch {
            throw TooManyLabels(layer: workload.layers[error.layer].name, labels: error.labels, limit: maxLabels)
        }
    }
}

extension JointSearch {
    /// The final objectives as functions of the label dimensions, when they are not simply
    /// the dimensions (EDAP, or a dimension carried only for its budget); nil otherwise.
    func boundObjectives() -> [BoundPruning.Objective]? {
        let compared = ParetoFront.compared(finalObjectives)
        func index(_ m: Phase2Metric) -> Int? { dimensions.firstIndex(of: m) }
        var out: [BoundPruning.Objective] = []
        for o in compared {
            let indices = o.metrics.compactMap(index)
            guard indices.count == o.metrics.count else { return nil }
            out.append(o.isProduct ? .product(indices) : .dimension(indices[0]))
        }
        let identities = Set(out.compactMap { if case let .dimension(d) = $0 { return d } else { return nil } })
        let products = out.contains { if case .product = $0 { return true } else { return false } }
        return products || identities.count < dimensions.count ? out : nil
    }

    /// Bound pruning when the final objectives are not the label dimensions. The incumbents
    /// come from a few cheap searches over the weighted sum of the dimensions other than the
    /// accuracy drop (scaled by their least totals; weights 1, 3 and 10) and the drop, kept
    /// when they meet every budget.
    func boundPruning(layers: [ParetoDP.LayerTable], budget: ObjectiveVector, threads: Int) -> BoundPruning? {
        guard let objectives = boundObjectives() else { return nil }
        let dims = dimensions.count
        let drop = dimensions.firstIndex(of: .accuracyDrop)
        let summed = (0..<dims).filter { $0 != drop }
        // The layer minima, summed, scale the weights.
        let total = layers.reduce(ObjectiveVector.zero) { sum, t in
            var least = ObjectiveVector(repeating: .max)
            for row in t.costs { for v in row { least = pointwiseMin(least, v) } }
            return sum &+ least
        }
        var weightSets: [[Double]] = [[]]
        for _ in summed { weightSets = weightSets.flatMap { w in [1.0, 3, 10].map { w + [$0] } } }
        weightSets = weightSets.filter { $0.min() == 1 }
        let secondDims = drop.map { [$0] } ?? []
        let runs = ParallelMap.map(weightSets, threads: threads) { w -> [ObjectiveVector] in
            let scaled = layers.map { t -> ParetoDP.LayerTable in
                ParetoDP.LayerTable(outChannels: t.outChannels, dims: 1 + secondDims.count, costs: t.costs.map { row in
                    row.map { v in
                        var s = 0.0
                        for (j, d) in summed.enumerated() { s += w[j] * Double(v[d]) / Double(max(1, total[d])) }
                        var u = ObjectiveVector(Int64((s * 1e9).rounded()), 0, 0, 0)
                        for (j, d) in secondDims.enumerated() { u[j + 1] = v[d] }
                        return u
                    }
                })
            }
            var limit = ObjectiveVector(repeating: .max)
            for (j, d) in secondDims.enumerated() { limit[j + 1] = budget[d] }
            let dp = ParetoDP(workload: workload, layers: scaled, dims: 1 + secondDims.count, budgets: limit, epsilon: nil,
                              maxLabels: 200_000)
            guard let result = try? dp.run(threads: 1) else { return [] }
            // Each design's sums in the search's own dimensions, within every budget.
            return result.frontier.compactMap { point in
                let v = self.sums(path: point.path, layers: layers)
                return all(v .<= budget) && self.meetsBudgets(path: point.path) ? v : nil
            }
        }
        let incumbents = runs.flatMap { $0 }
        return incumbents.isEmpty ? nil : BoundPruning(objectives: objectives, incumbents: incumbents)
    }

    /// The fixed-point sums of a path.
    func sums(path: [Int32], layers: [ParetoDP.LayerTable]) -> ObjectiveVector {
        let outChannels = zip(path, options).map { $1.design(Int($0)).outChannels }
        var v = ObjectiveVector.zero
        for l in workload.layers.indices {
            let k = table.inChoices[l].firstIndex(of: workload.inChannels(of: l, outChannels: outChannels))!
            v = v &+ layers[l].costs[k][Int(path[l])]
        }
        return v
    }

    /// Whether a path meets every budget on its raw totals (summed in layer order, as reported).
    func meetsBudgets(path: [Int32]) -> Bool {
        let outChannels = zip(path, options).map { $1.design(Int($0)).outChannels }
        for (d, m) in dimensions.enumerated() {
            guard let limit = budgets[d] else { continue }
            var total = 0.0
            for l in workload.layers.indices {
                let k = table.inChoices[l].firstIndex(of: workload.inChannels(of: l, outChannels: outChannels))!
                total += table.value(m, layer: l, inChoice: k, option: Int(path[l]))
            }
            if total > limit { return false }
        }
        return true
    }
}

/// Energy, latency and area of every (layer, input-channel choice, option), and the accuracy
/// drop the search steers by; costed once, in parallel.
public struct JointCostTable: Sendable {
    /// `inChoices[l]`: the input-channel counts layer l may read.
    public let inChoices: [[Int]]
    /// `values[l][k]`: per option, energy (pJ), latency (ns), area (µm²) and drop (points), flat.
    @usableFromInline let values: [[[Double]]]

    public init(workload: Workload, options: [LayerOptionSpace], substrates: Substrates,
                accuracy: AccuracyModel?, threads: Int) {
        let inChoices = workload.layers.indices.map(workload.inChannelChoices(of:))
        let jobs = workload.layers.indices.flatMap { l in inChoices[l].indices.map { (l, $0) } }
        let rows = ParallelMap.map(jobs, threads: threads) { job -> [Double] in
            let (l, k) = job
            let layer = workload.layers[l], space = options[l]
            let cin = inChoices[l][k]
            // The drop of each precision at this input-channel count, then per option.
            // The noise drop of each error key at this input-channel count, computed once.
            var noiseDrop: [ErrorKey: Double] = [:]
            var row = [Double](repeating: 0, count: 4 * space.count)
            for o in 0..<space.count {
                let d = space.design(o)
                let c = substrates.cost(of: layer, inChannels: cin, design: d)
                row[4 * o] = c.energyPJ.total
                row[4 * o + 1] = c.latencyNS.total
                row[4 * o + 2] = c.areaUM2.total
                if let model = accuracy {
                    let key = substrates.errorKey(of: d.option)
                    let drop = noiseDrop[key] ?? model.guide.noiseTerm(layer: l, nsr: model.noise.nsr(layer: l, inChannels: cin, key: key))
                    noiseDrop[key] = drop
                    row[4 * o + 3] = model.guide.widthTerm(layer: l, outChannels: d.outChannels) + drop
                }
            }
            return row
        }
        var values = workload.layers.map { _ in [[Double]]() }
        for (job, row) in zip(jobs, rows) { values[job.0].append(row) }
        self.inChoices = inChoices
        self.values = values
    }

    @inlinable
    public func value(_ m: Phase2Metric, layer: Int, inChoice k: Int, option o: Int) -> Double { values[layer][k][4 * o + m.index] }

    /// Entries costed: (layer, input choice, option) triples.
    public var count: Int { values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count / 4 } } }

    /// The largest total of `m` a design can reach: each layer at its largest magnitude.
    func largestTotal(_ m: Phase2Metric) -> Double {
        values.reduce(0) { sum, layer in
            sum + (layer.map { row in stride(from: m.index, to: row.count, by: 4).map { abs(row[$0]) }.max() ?? 0 }.max() ?? 0)
        }
    }
}
