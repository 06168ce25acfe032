/// Every option of one layer, enumerated in one fixed order: the one place where a layer's
/// choices become a list.
///
/// An option is an architecture (output channels, ADC type, column sharing: what XPert's
/// phase 1 picks) and a precision (ADC bits, input bits: what its phase 2 picks). Option
/// `o = a * precisions.count + p`, so architectures are major: sorting options by index
/// sorts them by architecture, then precision, and both parts keep the order the space gives.
/// This order breaks ties between designs with equal objectives everywhere in the search.
public struct LayerOptionSpace: Sendable, Hashable {
    /// Architecture options: output channels, then ADC type, then column sharing.
    public let architectures: [ArchitectureChoice]
    /// Precision options: ADC bits, then input bits.
    public let precisions: [PrecisionChoice]

    public init(layer: Layer) {
        var archs: [ArchitectureChoice] = []
        for c in layer.outChannelChoices {
            for t in layer.choices.adcTypes {
                for m in layer.choices.columnSharing { archs.append(ArchitectureChoice(outChannels: c, adcType: t, columnSharing: m)) }
            }
        }
        architectures = archs
        precisions = layer.choices.adcBits.flatMap { a in layer.choices.inputBits.map { PrecisionChoice(adcBits: a, inputBits: $0) } }
    }

    /// The option spaces of every layer of a workload.
    public static func of(_ workload: Workload) -> [LayerOptionSpace] { workload.layers.map(LayerOptionSpace.init(layer:)) }

    public var count: Int { architectures.count * precisions.count }

    /// Options per output-channel choice (they are consecutive in option order).
    public var perOutChannels: Int { count / outChannelCount }

    public var outChannelCount: Int { Set(architectures.map(\.outChannels)).count }

    @inlinable
    public func architectureIndex(of option: Int) -> Int { option / precisions.count }

    @inlinable
    public func precisionIndex(of option: Int) -> Int { option % precisions.count }

    public func option(architecture a: Int, precision p: Int) -> Int { a * precisions.count + p }

    /// The layer design of option `o`.
    public func design(_ o: Int) -> LayerDesign {
        Self.design(architectures[architectureIndex(of: o)], precisions[precisionIndex(of: o)])
    }

    public static func design(_ a: ArchitectureChoice, _ p: PrecisionChoice) -> LayerDesign {
        LayerDesign(outChannels: a.outChannels, adcType: a.adcType, adcBits: p.adcBits, columnSharing: a.columnSharing,
                    inputBits: p.inputBits)
    }

    /// The index of a layer design, nil when it is not one of the layer's options.
    public func index(of d: LayerDesign) -> Int? {
        guard let a = architectures.firstIndex(of: ArchitectureChoice(outChannels: d.outChannels, adcType: d.adcType,
                                                                        columnSharing: d.columnSharing)),
              let p = precisions.firstIndex(of: PrecisionChoice(adcBits: d.adcBits, inputBits: d.inputBits)) else { return nil }
        return option(architecture: a, precision: p)
    }

    /// Calls `body` with every option index and design, in order.
    @inlinable
    public func forEach(_ body: (Int, LayerDesign) -> Void) {
        for o in 0..<count { body(o, design(o)) }
    }
}

/// The precision of one layer: what XPert's phase 2 chooses.
public struct PrecisionChoice: Sendable, Hashable {
    public var adcBits: Int
    public var inputBits: Int

    public init(adcBits: Int, inputBits: Int) {
        self.adcBits = adcBits
        self.inputBits = inputBits
    }
}
