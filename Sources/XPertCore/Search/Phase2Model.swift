/// An exact upper bound on a metric's total, in raw units: `total(metric) <= atMost`.
/// Budgets, epsilon levels and strict improvements (`atMost = previous.nextDown`) are all of
/// this form.
struct Phase2Bound: Sendable, Hashable {
    var metric: Phase2Metric
    var atMost: Double
}

/// The MILP side of phase 2 for one architecture: which option binaries exist, their scaled
/// coefficients, and the rows every model shares.
///
/// **Variables.** One binary per kept option, `Σ_o x[l][o] = 1` per layer. Options of a layer
/// whose values agree in every *relevant* metric (objectives and budgets) are interchangeable;
/// only the first (smallest index, the tie-break winner) gets a binary.
///
/// **Symmetry.** Layers with the same options and the same relevant values (layers of one shape)
/// can trade their choices without changing any total, because totals are order-free
/// (``ExactSum``). Of such permutations the one with non-decreasing option indices in layer
/// order has the smallest path; rows `index(l) <= index(l')` keep only it.
///
/// **Scaling.** GLPK sees each metric as `g = Σ c[l][o] x[l][o]` with
/// `c = (value − layer minimum) / S`, `S` the sum of the layers' spreads, so `g ∈ [0, 1]` and
/// GLPK's tolerances (about 1e-7 absolute at this scale) are tiny against the whole range.
/// GLPK's answers are treated as candidates only: totals, feasibility and comparisons are
/// exact, in Swift.
struct Phase2Model: Sendable {
    let table: Phase2CostTable
    let relevant: [Phase2Metric]
    /// `variable[l][o]`: index of the binary of option `o` of layer `l`; nil for an option
    /// merged into an earlier identical one.
    let variable: [[Int?]]
    /// Per relevant metric (by `metric.index`): `(variable, coefficient)` of every kept option
    /// with a non-zero coefficient.
    let terms: [[(variable: Int, coefficient: Double)]]
    /// `coefficient[metric.index][l][o]` (that of the kept twin for a merged option).
    let coefficient: [[[Double]]]
    /// Per metric: `Σ_l min_o value`, `S`, the exact largest total, and the absolute rounding
    /// margin (scaled units) added to right-hand sides so that no exactly feasible design is cut.
    let base: [Double], scale: [Double], exactMax: [Double], margin: [Double]
    /// One-hot rows and symmetry rows.
    let shared: MILPModel

    init(table: Phase2CostTable, relevant: [Phase2Metric]) {
        self.table = table
        self.relevant = relevant
        let metricCount = Phase2Metric.allCases.count
        var variable: [[Int?]] = []
        var model = MILPModel()
        var keptPerLayer: [[Int]] = []
        for l in 0..<table.layerCount {
            var seen: [[Double]: Int] = [:]
            var row: [Int?] = []
            var kept: [Int] = []
            for o in table.options[l].options.indices {
                let key = relevant.map { table.value($0, layer: l, option: o) }
                if seen[key] != nil {
                    row.append(nil)
                } else {
                    seen[key] = o
                    row.append(model.addBinary("x[\(l)][\(o)]"))
                    kept.append(o)
                }
            }
            model.addOneHot(group: "layer \(l)", over: row.compactMap { $0 })
            variable.append(row)
            keptPerLayer.append(kept)
        }
        // Symmetry rows between consecutive layers of one class.
        var classes: [[Int]] = []
        for l in 0..<table.layerCount {
            let signature = Self.signature(table, relevant, l)
            if let c = classes.firstIndex(where: { Self.signature(table, relevant, $0[0]) == signature }) {
                classes[c].append(l)
            } else {
                classes.append([l])
            }
        }
        for members in classes where members.count > 1 {
            for (a, b) in zip(members, members.dropFirst()) {
                // Σ o·x[a][o] − Σ o·x[b][o] <= 0 (option indices, integers: no tolerance issue).
                var terms: [(variable: Int, coefficient: Double)] = []
                for (o, v) in variable[a].enumerated() { if let v, o > 0 { terms.append((v, Double(o))) } }
                for (o, v) in variable[b].enumerated() { if let v, o > 0 { terms.append((v, -Double(o))) } }
                if !terms.isEmpty { model.addConstraint("symmetry \(a) \(b)", terms, .lessOrEqual(0)) }
            }
        }
        var terms = [[(variable: Int, coefficient: Double)]](repeating: [], count: metricCount)
        var base = [Double](repeating: 0, count: metricCount), scale = base, exactMax = base, margin = base
        var coefficient = [[[Double]]](repeating: [], count: metricCount)
        for metric in Phase2Metric.allCases {
            let m = metric.index
            let mins = keptPerLayer.indices.map { l in keptPerLayer[l].map { table.values[m][l][$0] }.min()! }
            let maxs = keptPerLayer.indices.map { l in keptPerLayer[l].map { table.values[m][l][$0] }.max()! }
            base[m] = ExactSum.of(mins)
            exactMax[m] = ExactSum.of(maxs)
            let spread = ExactSum.of(zip(maxs, mins).map { $0 - $1 })
            scale[m] = spread > 0 ? spread : 1
            for l in keptPerLayer.indices {
                for o in keptPerLayer[l] {
                    let c = (table.values[m][l][o] - mins[l]) / scale[m]
                    if c != 0 { terms[m].append((variable[l][o]!, c)) }
                }
                coefficient[m].append(table.values[m][l].map { ($0 - mins[l]) / scale[m] })
            }
            // Rounding of values, of their differences and of right-hand sides, in scaled units:
            // a generous bound; a too loose row only admits designs the exact check rejects.
            let magnitude = maxs.reduce(0) { $0 + abs($1) } + abs(base[m])
            margin[m] = 1e-9 + 16 * Double(table.layerCount + 2) * magnitude.ulp / scale[m]
        }
        self.variable = variable
        self.terms = terms
        self.coefficient = coefficient
        self.base = base
        self.scale = scale
        self.exactMax = exactMax
        self.margin = margin
        shared = model
    }

    /// A layer's relevant values per option (and its option list): equal signatures, symmetric layers.
    private static func signature(_ table: Phase2CostTable, _ relevant: [Phase2Metric], _ l: Int) -> [[Double]] {
        let optionKey = table.options[l].options.flatMap { p in
            [Double(SubstrateKind.allCases.firstIndex(of: p.option.substrate)!)] + (0..<4).map { Double(p.option.values[$0]) }
        }
        return [optionKey] + relevant.map { table.values[$0.index][l] }
    }

    /// `g_metric` of a path in scaled units, summed as GLPK sums the row.
    func scaled(_ metric: Phase2Metric, path: [Int]) -> Double {
        let c = coefficient[metric.index]
        return path.indices.reduce(0.0) { $0 + c[$1][path[$1]] }
    }

    /// Whether every bound holds for the path's exact totals.
    func satisfies(_ path: [Int], _ bounds: [Phase2Bound]) -> Bool {
        bounds.allSatisfy { table.total($0.metric, path: path) <= $0.atMost }
    }

    /// Minimise `g_objective` subject to the bounds (loosened by the rounding margin; bounds no
    /// design can break are left out), an optional band row `g_objective <= bandLimit`, and a
    /// no-good cut `Σ_l x[l][path_l] <= L − 1` per excluded path.
    func model(minimizing objective: Phase2Metric, bounds: [Phase2Bound], bandLimit: Double? = nil,
               excluding cuts: [[Int]]) -> MILPModel {
        var m = shared
        precondition(bounds.allSatisfy { relevant.contains($0.metric) }, "a bound on a metric the model merged options over")
        for b in bounds where b.atMost < exactMax[b.metric.index] {
            let k = b.metric.index
            let rhs = (b.atMost - base[k]) / scale[k] + margin[k]
            m.addConstraint("\(b.metric.rawValue) <= \(b.atMost)", terms[k], .lessOrEqual(max(rhs, -1)))
        }
        if let bandLimit {
            m.addConstraint("band \(objective.rawValue)", terms[objective.index],
                            .lessOrEqual(bandLimit + margin[objective.index]))
        }
        let layers = Double(table.layerCount)
        for path in cuts {
            m.addConstraint("cut", path.indices.map { (variable[$0][path[$0]]!, 1.0) }, .lessOrEqual(layers - 1))
        }
        m.minimize(terms[objective.index])
        return m
    }

    /// The path of a solver point: per layer, the kept option whose binary is 1.
    func path(from values: [Double]) -> [Int] {
        variable.map { row in row.firstIndex { $0.map { values[$0] > 0.5 } ?? false }! }
    }

    /// Maps any path to the one the model can represent: merged options to their kept twin.
    func canonical(_ path: [Int]) -> [Int] {
        path.indices.map { l in
            if variable[l][path[l]] != nil { return path[l] }
            let key = relevant.map { table.value($0, layer: l, option: path[l]) }
            return variable[l].indices.first { o in
                variable[l][o] != nil && relevant.map { table.value($0, layer: l, option: o) } == key
            }!
        }
    }
}
