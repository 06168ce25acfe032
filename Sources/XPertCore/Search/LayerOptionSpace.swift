/// Every option of one layer, enumerated in one fixed order: the one place where a layer's
/// choices become a list.
///
/// An option is an architecture (output channels, substrate and the substrate's architecture
/// fields: what XPert's phase 1 picks; on the crossbar ADC type and column sharing) and a
/// precision (the substrate's precision fields, what its phase 2 picks; on the crossbar ADC bits
/// and input bits). Options are architecture-major: sorting options by index sorts them by
/// architecture, then precision, and both parts keep the order the space gives (output
/// channels, then substrates in the space's order, then each field's values, first field
/// outermost). This order breaks ties between designs with equal objectives everywhere.
public struct LayerOptionSpace: Sendable, Hashable {
    /// Architecture options: output channels, then substrate, then its architecture fields.
    public let architectures: [ArchitectureChoice]
    /// Per substrate the layer offers (in `layer.choices.substrates` order), its precision parts.
    public let precisionSets: [[SubstrateOption]]
    /// The position in `precisionSets` of each architecture's substrate.
    @usableFromInline let architectureSubstrate: [Int]
    /// The first option index of each architecture, and one past the last option.
    @usableFromInline let firstOption: [Int]
    /// The architecture of each option.
    @usableFromInline let architectureOfOption: [Int32]

    public init(layer: Layer) {
        let substrates = layer.choices.substrates
        precisionSets = substrates.map { c in c.precisions.map { SubstrateOption(substrate: c.substrate, values: $0) } }
        var archs: [ArchitectureChoice] = [], archSubstrate: [Int] = []
        for c in layer.outChannelChoices {
            for (s, choices) in substrates.enumerated() {
                for a in choices.architectures {
                    archs.append(ArchitectureChoice(outChannels: c, option: SubstrateOption(substrate: choices.substrate, values: a)))
                    archSubstrate.append(s)
                }
            }
        }
        architectures = archs
        architectureSubstrate = archSubstrate
        var first = [0], owner: [Int32] = []
        for (a, s) in archSubstrate.enumerated() {
            let n = precisionSets[s].count
            first.append(first[a] + n)
            owner += Array(repeating: Int32(a), count: n)
        }
        firstOption = first
        architectureOfOption = owner
    }

    /// The option spaces of every layer of a workload.
    public static func of(_ workload: Workload) -> [LayerOptionSpace] { workload.layers.map(LayerOptionSpace.init(layer:)) }

    public var count: Int { firstOption.last! }

    /// Options per output-channel choice (they are consecutive in option order).
    public var perOutChannels: Int { count / outChannelCount }

    public var outChannelCount: Int { Set(architectures.map(\.outChannels)).count }

    @inlinable
    public func architectureIndex(of option: Int) -> Int { Int(architectureOfOption[option]) }

    /// The option's position among its substrate's precisions (`precisionSets[substrateIndex(of:)]`).
    @inlinable
    public func precisionIndex(of option: Int) -> Int { option - firstOption[architectureIndex(of: option)] }

    /// The position in `precisionSets` of the option's substrate.
    @inlinable
    public func substrateIndex(of option: Int) -> Int { architectureSubstrate[architectureIndex(of: option)] }

    public func option(architecture a: Int, precision p: Int) -> Int { firstOption[a] + p }

    /// The layer design of option `o`.
    public func design(_ o: Int) -> LayerDesign {
        let a = architectures[architectureIndex(of: o)]
        let p = precisionSets[architectureSubstrate[architectureIndex(of: o)]][precisionIndex(of: o)]
        return LayerDesign(outChannels: a.outChannels, option: SubstrateOption(substrate: a.option.substrate,
                                                                               values: a.option.values &+ p.values))
    }

    /// The index of a layer design, nil when it is not one of the layer's options.
    public func index(of d: LayerDesign) -> Int? {
        let arch = ArchitectureChoice(outChannels: d.outChannels, option: d.option.architecturePart)
        guard let a = architectures.firstIndex(of: arch),
              let p = precisionSets[architectureSubstrate[a]].firstIndex(of: d.option.precisionPart) else { return nil }
        return option(architecture: a, precision: p)
    }

    /// Calls `body` with every option index and design, in order.
    @inlinable
    public func forEach(_ body: (Int, LayerDesign) -> Void) {
        for o in 0..<count { body(o, design(o)) }
    }

    /// The precision options of an architecture (its substrate's precision set), in order: what
    /// XPert's phase 2 chooses among.
    public func precisions(of architecture: ArchitectureChoice) -> [PrecisionChoice] {
        guard let s = precisionSets.firstIndex(where: { $0.first?.substrate == architecture.option.substrate }) else { return [] }
        return precisionSets[s].map(PrecisionChoice.init(option:))
    }
}

/// The architecture of one layer: output channels and the substrate's architecture fields
/// (precision fields 0); what XPert's phase 1 chooses.
public struct ArchitectureChoice: Sendable, Hashable {
    public var outChannels: Int
    public var option: SubstrateOption

    public init(outChannels: Int, option: SubstrateOption) {
        self.outChannels = outChannels
        self.option = option
    }

    /// A crossbar architecture.
    public init(outChannels: Int, adcType: ADCType, columnSharing: Int) {
        var part = CrossbarOption.option(adcType: adcType, adcBits: 0, columnSharing: columnSharing, inputBits: 0)
        part = part.architecturePart
        self.init(outChannels: outChannels, option: part)
    }

    /// A crossbar architecture's fields.
    public var adcType: ADCType { ADCType.allCases[Int(option.values[CrossbarOption.adcType])] }
    public var columnSharing: Int { Int(option.values[CrossbarOption.columnSharing]) }
}

extension LayerOptionSpace {
    /// The design of an architecture and a precision of its substrate (XPert's two phases).
    public static func design(_ a: ArchitectureChoice, _ p: PrecisionChoice) -> LayerDesign {
        precondition(a.option.substrate == p.option.substrate, "a precision of the architecture's substrate")
        return LayerDesign(outChannels: a.outChannels,
                           option: SubstrateOption(substrate: a.option.substrate, values: a.option.values &+ p.option.values))
    }
}

/// The precision of one layer: its substrate's precision fields (architecture fields 0); what
/// XPert's phase 2 chooses.
public struct PrecisionChoice: Sendable, Hashable {
    public var option: SubstrateOption

    public init(option: SubstrateOption) { self.option = option }

    /// A crossbar precision.
    public init(adcBits: Int, inputBits: Int) {
        option = CrossbarOption.option(adcType: .sar, adcBits: adcBits, columnSharing: 0, inputBits: inputBits).precisionPart
    }

    /// A crossbar precision's fields.
    public var adcBits: Int { Int(option.values[CrossbarOption.adcBits]) }
    public var inputBits: Int { Int(option.values[CrossbarOption.inputBits]) }
}
