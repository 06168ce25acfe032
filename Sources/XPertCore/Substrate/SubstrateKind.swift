/// The substrates a layer can be computed on: the registry. A new substrate is its own folder
/// (its option fields, choices, components, cost model and error measurement) plus one case
/// here, one entry in `descriptor` and one arm in each switch of `Substrates`.
public enum SubstrateKind: String, Sendable, Hashable, CaseIterable {
    /// The analog bit-sliced crossbar with ADCs (`Crossbar/`).
    case crossbar
    /// The digital approximate in-SRAM multiplier (`Daism/`).
    case daism

    /// What reports and designs need to know of a substrate.
    struct Descriptor: Sendable {
        /// The option fields, in value order: architecture fields first.
        var fields: [OptionField]
        /// The order in which a design's JSON and a CSV list the fields.
        var outputOrder: [Int]
        /// The components whose figures a layer cost on this substrate reports.
        var components: [ComponentKey]
        /// The names of the mapping counts a layer cost reports (`LayerCost.counts`).
        var countKeys: [String]
        /// The counts that plain-text tables show (a subset of `countKeys`).
        var tableCountKeys: [String]
    }

    static let descriptors: [Descriptor] = allCases.map { kind in
        switch kind {
        case .crossbar:
            return Descriptor(fields: CrossbarOption.fields, outputOrder: CrossbarOption.outputOrder,
                              components: CrossbarArchitecture.components, countKeys: CrossbarArchitecture.countKeys,
                              tableCountKeys: ["crossbars", "adcs"])
        case .daism:
            return Descriptor(fields: DaismOption.fields, outputOrder: DaismOption.outputOrder, components: DaismArray.components,
                              countKeys: DaismArray.countKeys, tableCountKeys: ["arrays"])
        }
    }

    var descriptor: Descriptor { Self.descriptors[Self.allCases.firstIndex(of: self)!] }

    public var fields: [OptionField] { descriptor.fields }
    public var outputOrder: [Int] { descriptor.outputOrder }
    public var components: [ComponentKey] { descriptor.components }
    public var countKeys: [String] { descriptor.countKeys }
    public var tableCountKeys: [String] { descriptor.tableCountKeys }
}
