import Dispatch
import Foundation

/// What the exact method ran: the label dimensions, the mode, and the dynamic programme's sizes.
public struct JointSummary: Sendable {
    public var dimensions: [Phase2Metric]
    /// The epsilon of the epsilon-Pareto mode; nil: exact.
    public var epsilon: Double?
    /// Labels kept after each layer, over all states.
    public var labelsPerLayer: [Int]
    /// Cost-table entries: (layer, input choice, option) triples.
    public var optionsCosted: Int
    /// Entries left after pruning within cells.
    public var optionsKept: Int
    /// Designs on the dynamic programme's frontier (before accuracy estimates and the final filter).
    public var labelFrontier: Int
}

extension SearchRun {
    /// The exact method (`JointSearch`): costs every option, runs the dynamic programme over
    /// the space's objective dimensions and returns its frontier's designs with their totals.
    mutating func exact(progress: (@Sendable (SearchProgress) -> Void)?) throws -> [FrontierDesign] {
        let (space, threads, options) = (self.space, self.threads, self.options)
        let workload = space.workload
        let substrates = Substrates(space: space)
        var start = DispatchTime.now().uptimeNanoseconds
        progress?(SearchProgress(phase: "cost tables", done: 0, total: workload.layers.count))
        let steering = steersByAccuracy ? accuracy : nil
        let table = JointCostTable(workload: workload, options: options, substrates: substrates, accuracy: steering, threads: threads)
        stageSeconds.append(("cost_tables", Self.seconds(since: start)))

        start = DispatchTime.now().uptimeNanoseconds
        let dimensions = JointSearch.dimensions(objectives: space.objectives, constraints: space.constraints)
        let budgets = dimensions.map { budget($0) }
        let search = JointSearch(workload: workload, options: options, table: table, dimensions: dimensions, budgets: budgets,
                                 epsilon: space.search.epsilon, maxLabels: space.search.maxLabels,
                                 finalObjectives: space.objectives.filter { $0.chipFigure == nil },
                                 accuracyTolerancePct: space.search.accuracyTolerancePct
                                     ?? space.search.epsilon.map { $0 * (accuracy?.referenceAccuracyPct ?? 100) })
        let layerCount = workload.layers.count
        let result = try search.run(threads: threads) { layer, labels in
            progress?(SearchProgress(phase: "exact search", done: layer + 1, total: layerCount,
                                     detail: "\(workload.layers[layer].name), \(labels) labels"))
        }
        stageSeconds.append(("search", Self.seconds(since: start)))
        joint = JointSummary(dimensions: dimensions, epsilon: space.search.epsilon, labelsPerLayer: result.labelsPerLayer,
                             optionsCosted: table.count, optionsKept: result.optionsKept, labelFrontier: result.frontier.count)
        if result.frontier.isEmpty { throw infeasible(table: table, dimensions: dimensions, budgets: budgets) }
        exactness = exactnessStatements(dimensions: dimensions)
        return result.frontier.map {
            FrontierDesign(path: $0.path, totals: Self.totals(path: $0.path, table: table, workload: workload, options: options),
                           searchSums: $0.values)
        }
    }

    /// The budget of a dimension in raw units; the accuracy drop only where the search's drop
    /// is the estimator's (`proxy`).
    func budget(_ m: Phase2Metric) -> Double? {
        guard let limit = m.limit(in: space.constraints) else { return nil }
        if m == .accuracyDrop, accuracy?.isExactInPhase1 != true { return nil }
        return m.rawThreshold(forLimit: limit)
    }

    /// A path's totals from the cost table, each summed in layer order as `DesignTotals(layers:)` does.
    static func totals(path: [Int32], table: JointCostTable, workload: Workload, options: [LayerOptionSpace]) -> DesignTotals {
        var area: [Double] = [], energy: [Double] = [], latency: [Double] = [], macs: [Int] = []
        let outChannels = zip(path, options).map { $1.design(Int($0)).outChannels }
        for (l, layer) in workload.layers.enumerated() {
            let cin = workload.inChannels(of: l, outChannels: outChannels)
            let k = table.inChoices[l].firstIndex(of: cin)!
            let o = Int(path[l])
            energy.append(table.value(.energy, layer: l, inChoice: k, option: o))
            latency.append(table.value(.latency, layer: l, inChoice: k, option: o))
            area.append(table.value(.area, layer: l, inChoice: k, option: o))
            macs.append(layer.macs(inChannels: cin, outChannels: outChannels[l]))
        }
        return DesignTotals(areaUM2: area, energyPJ: energy, latencyNS: latency, macs: macs)
    }

    /// What `run.json` says is exact.
    func exactnessStatements(dimensions: [Phase2Metric]) -> [(key: String, statement: String)] {
        var out: [(key: String, statement: String)] = []
        let names = dimensions.map(\.rawValue).joined(separator: ", ")
        if let e = space.search.epsilon {
            out.append(("method", "epsilon-Pareto (epsilon \(JSONValue.format(number: e))) over \(names): every design of the exact "
                + "frontier has a reported design within a factor 1 + epsilon in each of them, except next to a budget"))
        } else {
            out.append(("method", "exact over \(names), on fixed-point sums (1 fJ, 1 ps, 0.001 um2, 1e-6 points)"))
        }
        if space.objectives.contains(.edap) {
            out.append(("edap", "computed on the frontier of energy, latency and area, which holds every EDAP-optimal design"))
        }
        if let model = accuracy, steersByAccuracy {
            switch model.estimator {
            case .proxy where model.curve.isLinear: out.append(("accuracy", "proxy: additive per layer, exact in the search"))
            case .proxy:
                let fixed = space.workload.layers.allSatisfy { $0.outChannelChoices.count == 1 }
                out.append(("accuracy", "proxy with a drop curve: the search sums the linear terms and the curve, non-decreasing, "
                    + "maps the noise sum at the end; " + (fixed ? "exact, as every channel width is fixed"
                    : "with channel choices the search steers by the linear terms and the curve decides the final frontier (approximate)")))
            case .table: out.append(("accuracy", "table: not additive over layers; the search steers by the proxy's default width "
                + "law and the table's sensitivities, and the table decides the final frontier"))
            case .command: out.append(("accuracy", "command: the search steers by the proxy's default terms; the program is asked "
                + "for an evenly spread subset (search.command_designs) of that frontier and decides the final one"))
            }
        }
        return out
    }

    /// No design meets the budgets: per budget, the least total that meets the others.
    func infeasible(table: JointCostTable, dimensions: [Phase2Metric], budgets: [Double?]) -> SearchInfeasible {
        var parts: [String] = []
        var firstBinding: String?
        let budgeted = dimensions.indices.filter { budgets[$0] != nil }
        for d in budgeted {
            let m = dimensions[d]
            let others = budgeted.filter { $0 != d }
            let search = JointSearch(workload: space.workload, options: options, table: table,
                                     dimensions: [m] + others.map { dimensions[$0] }, budgets: [nil] + others.map { budgets[$0] },
                                     epsilon: nil, maxLabels: space.search.maxLabels)
            let limit = m.limit(in: space.constraints)!
            if let r = try? search.run(threads: threads), let least = r.frontier.map({ r.scales[0].value($0.values[0]) }).min() {
                firstBinding = firstBinding ?? m.constraintKey
                parts.append("\(m.constraintKey) = \(JSONValue.format(number: limit)) needs at least \(roundedUp(least / m.reportScale))")
            } else {
                parts.append("\(m.constraintKey) = \(JSONValue.format(number: limit)) cannot be met by relaxing it alone")
            }
        }
        return SearchInfeasible(path: "$.constraints" + (firstBinding.map { "." + $0 } ?? ""),
                                message: "no design meets the constraints: " + parts.joined(separator: "; "))
    }
}
