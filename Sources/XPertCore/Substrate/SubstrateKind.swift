/// The substrates a layer can be computed on: the registry. A new substrate is its own folder
/// (its option fields, choices, components, cost model and error measurement) plus one case
/// here and one arm in each switch of this file and of `Substrates`.
public enum SubstrateKind: String, Sendable, Hashable, CaseIterable {
    /// The analog bit-sliced crossbar with ADCs (`Crossbar/`).
    case crossbar
    /// The digital approximate in-SRAM multiplier (`Daism/`).
    case daism

    /// The option fields, in value order: architecture fields first.
    public var fields: [OptionField] {
        switch self {
        case .crossbar: return CrossbarOption.fields
        case .daism: return DaismOption.fields
        }
    }

    /// The order in which a design's JSON and a CSV list the fields.
    public var outputOrder: [Int] {
        switch self {
        case .crossbar: return CrossbarOption.outputOrder
        case .daism: return DaismOption.outputOrder
        }
    }

    /// The components whose figures a layer cost on this substrate reports.
    public var components: [ComponentKey] {
        switch self {
        case .crossbar: return CrossbarArchitecture.components
        case .daism: return DaismArray.components
        }
    }

    /// The counts that plain-text tables show (a subset of `countKeys`).
    public var tableCountKeys: [String] {
        switch self {
        case .crossbar: return ["crossbars", "adcs"]
        case .daism: return ["arrays"]
        }
    }

    /// The names of the mapping counts a layer cost on this substrate reports (`LayerCost.counts`).
    public var countKeys: [String] {
        switch self {
        case .crossbar: return CrossbarArchitecture.countKeys
        case .daism: return DaismArray.countKeys
        }
    }
}
