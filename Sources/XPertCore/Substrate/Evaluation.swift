/// A design's cost: every layer's cost and the totals.
public struct DesignEvaluation: Sendable, Hashable {
    public var design: Design
    public var layers: [LayerCost]
    public var totals: DesignTotals
    /// The estimated accuracy, when the space has an accuracy estimator.
    public var accuracy: DesignAccuracy?

    public init(design: Design, layers: [LayerCost], totals: DesignTotals, accuracy: DesignAccuracy? = nil) {
        self.design = design
        self.layers = layers
        self.totals = totals
        self.accuracy = accuracy
    }

    /// Constraint names the design exceeds (see `Constraints.violations`).
    public func violations(of constraints: Constraints) -> [String] {
        constraints.violations(totals, dropPct: accuracy?.dropPct)
    }
}

extension CrossbarArchitecture {
    /// The architecture of a search space's hardware and number formats.
    public init(space: SearchSpace) {
        self.init(hardware: space.hardware, weightBits: space.workload.weightBits,
                  activationBits: space.workload.activationBits)
    }

    /// Costs every layer of `design` (one entry per workload layer) and sums them.
    public func evaluate(_ design: Design, workload: Workload) -> DesignEvaluation {
        precondition(design.layers.count == workload.layers.count, "a design has one entry per layer")
        let outChannels = design.outChannels
        let layers = workload.layers.indices.map { i in
            cost(of: workload.layers[i], inChannels: workload.inChannels(of: i, outChannels: outChannels),
                 design: design.layers[i])
        }
        return DesignEvaluation(design: design, layers: layers, totals: DesignTotals(layers: layers))
    }
}
