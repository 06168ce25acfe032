/// The precision choice of one layer in phase 2.
public typealias Phase2Option = PrecisionChoice

/// The precision options of one layer in their fixed order (`LayerOptionSpace.precisions`),
/// which is also the tie-break order: ADC bits, then input bits.
public struct Phase2Options: Sendable, Hashable {
    public let options: [Phase2Option]

    /// The precisions of `architecture`'s substrate on `layer`.
    public init(layer: Layer, architecture: ArchitectureChoice) {
        options = LayerOptionSpace(layer: layer).precisions(of: architecture)
    }
}

/// Every layer's options for one phase-1 architecture, each costed once.
public struct Phase2CostTable: Sendable {
    public let workload: Workload
    public let choices: [ArchitectureChoice]
    public let options: [Phase2Options]
    /// `values[metric.index][layer][option]`, raw units (pJ, ns, µm², percentage points):
    /// `LayerCost` totals and the given accuracy drops.
    public let values: [[[Double]]]

    /// Costs every option with the architecture. `accuracyDropPct[layer][option]` (options in
    /// `Phase2Options(layer:)` order, percentage points, any finite sign) is the accuracy lost by
    /// that option; nil means no accuracy terms (every drop 0).
    public init(workload: Workload, substrates: Substrates, choices: [ArchitectureChoice],
                accuracyDropPct: [[Double]]? = nil) {
        precondition(choices.count == workload.layers.count, "phase 2 needs one architecture choice per layer")
        self.workload = workload
        self.choices = choices
        options = workload.layers.enumerated().map { Phase2Options(layer: $1, architecture: choices[$0]) }
        if let drops = accuracyDropPct {
            precondition(drops.count == options.count && zip(drops, options).allSatisfy { $0.count == $1.options.count },
                         "one accuracy drop per layer and option")
            precondition(drops.allSatisfy { $0.allSatisfy(\.isFinite) }, "accuracy drops must be finite")
        }
        let outChannels = choices.map(\.outChannels)
        var values = [[[Double]]](repeating: [], count: Phase2Metric.allCases.count)
        for (l, layer) in workload.layers.enumerated() {
            let inChannels = workload.inChannels(of: l, outChannels: outChannels)
            var columns = [[Double]](repeating: [], count: Phase2Metric.allCases.count)
            for option in options[l].options {
                let c = substrates.cost(of: layer, inChannels: inChannels, design: Self.layerDesign(choices[l], option))
                columns[Phase2Metric.energy.index].append(c.energyPJ.total)
                columns[Phase2Metric.latency.index].append(c.latencyNS.total)
                columns[Phase2Metric.area.index].append(c.areaUM2.total)
            }
            columns[Phase2Metric.accuracyDrop.index] = accuracyDropPct?[l] ?? Array(repeating: 0, count: options[l].options.count)
            for m in columns.indices { values[m].append(columns[m]) }
        }
        self.values = values
    }

    /// A table with given values (`values[metric.index][layer][option]`, every metric): for
    /// tests, and for callers that cost options themselves.
    init(workload: Workload, choices: [ArchitectureChoice], options: [Phase2Options], values: [[[Double]]]) {
        precondition(values.count == Phase2Metric.allCases.count && values.allSatisfy { $0.count == options.count },
                     "one column per metric, one row per layer")
        precondition(values.allSatisfy { zip($0, options).allSatisfy { $0.count == $1.options.count && $0.allSatisfy(\.isFinite) } })
        self.workload = workload
        self.choices = choices
        self.options = options
        self.values = values
    }

    static func layerDesign(_ choice: ArchitectureChoice, _ option: Phase2Option) -> LayerDesign {
        LayerOptionSpace.design(choice, option)
    }

    public var layerCount: Int { options.count }

    /// Options costed (cost-table entries).
    public var optionsCosted: Int { options.reduce(0) { $0 + $1.options.count } }

    @inlinable
    public func value(_ metric: Phase2Metric, layer: Int, option: Int) -> Double {
        values[metric.index][layer][option]
    }

    /// The exact total of `metric` over a path (one option index per layer): the correctly
    /// rounded sum of the per-layer values, which does not depend on the layer order.
    public func total(_ metric: Phase2Metric, path: [Int]) -> Double {
        let column = values[metric.index]
        return ExactSum.of(path.indices.lazy.map { column[$0][path[$0]] })
    }

    /// The design of a path: phase-1 choices plus the chosen bits.
    public func design(path: [Int]) -> Design {
        Design(layers: path.indices.map { Self.layerDesign(choices[$0], options[$0].options[path[$0]]) })
    }
}

/// Correctly rounded summation (Shewchuk's algorithm, as Python's `math.fsum`): the double
/// nearest to the exact sum of the inputs.
///
/// Phase 2 adds per-layer costs with it instead of left to right: the result depends only on the
/// multiset of terms, so two designs that pick the same costs in different layers (layers of the
/// same shape) tie exactly instead of differing in the last bit according to the layer order, and
/// a tie is broken by the option path as everywhere else. It differs from a left-to-right sum
/// (`CrossbarArchitecture.evaluate`) by at most the latter's rounding error, a few ulps.
public enum ExactSum {
    public static func of(_ values: some Sequence<Double>) -> Double {
        var partials: [Double] = []
        for value in values {
            var x = value
            var i = 0
            for p in partials {
                var y = p
                if abs(x) < abs(y) { swap(&x, &y) }
                let hi = x + y
                let lo = y - (hi - x)
                if lo != 0 {
                    partials[i] = lo
                    i += 1
                }
                x = hi
            }
            partials.removeSubrange(i...)
            partials.append(x)
        }
        // Add the non-overlapping partials from the largest, then fix a half-way rounding.
        guard var n = partials.indices.last else { return 0 }
        var hi = partials[n]
        var lo = 0.0
        while n > 0 {
            let x = hi
            n -= 1
            let y = partials[n]
            hi = x + y
            lo = y - (hi - x)
            if lo != 0 { break }
        }
        if n > 0, (lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0) {
            let y = lo * 2
            let x = hi + y
            if y == x - hi { hi = x }
        }
        return hi
    }
}
