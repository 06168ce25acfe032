/// The substrate models of a space, and the one place that dispatches a layer option to its
/// substrate's model: `search`, `evaluate` and `bench` ask it for costs and error keys.
public struct Substrates: Sendable {
    public let crossbar: CrossbarArchitecture
    public let daism: DaismArray

    public init(space: SearchSpace) {
        crossbar = CrossbarArchitecture(space: space)
        daism = DaismArray(settings: space.daism, hardware: space.hardware, weightBits: space.workload.weightBits,
                           activationBits: space.workload.activationBits)
    }

    /// The model of one substrate.
    public func model(_ kind: SubstrateKind) -> any Substrate {
        switch kind {
        case .crossbar: return crossbar
        case .daism: return daism
        }
    }

    /// The cost of `layer` under `option`, by the option's substrate.
    @inlinable
    public func cost(of layer: Layer, inChannels: Int, outChannels: Int, option: SubstrateOption) -> LayerCost {
        switch option.substrate {
        case .crossbar: return crossbar.cost(of: layer, inChannels: inChannels, outChannels: outChannels, option: option)
        case .daism: return daism.cost(of: layer, inChannels: inChannels, outChannels: outChannels, option: option)
        }
    }

    /// The cost of `layer` under a layer design.
    @inlinable
    public func cost(of layer: Layer, inChannels: Int, design d: LayerDesign) -> LayerCost {
        cost(of: layer, inChannels: inChannels, outChannels: d.outChannels, option: d.option)
    }

    /// The key of an option's functional error, by its substrate.
    @inlinable
    public func errorKey(of option: SubstrateOption) -> ErrorKey {
        switch option.substrate {
        case .crossbar: return crossbar.errorKey(of: option)
        case .daism: return daism.errorKey(of: option)
        }
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
