/// The columns a report lists for the substrates a space offers: every substrate's option
/// fields, mapping counts and components, each once, in registry order. A layer on a substrate
/// without a column leaves it empty. With only the crossbar offered there is no `substrate`
/// column, so crossbar-only reports keep their layout.
public struct SubstrateColumns: Sendable {
    public let substrates: [SubstrateKind]
    /// Option fields, each substrate's in its output order.
    public let fields: [OptionField]
    public let countKeys: [String]
    public let tableCountKeys: [String]
    public let components: [ComponentKey]

    public init(substrates offered: Set<SubstrateKind>) {
        substrates = SubstrateKind.allCases.filter(offered.contains)
        func union<T: Hashable>(_ lists: [[T]]) -> [T] {
            var seen = Set<T>(), out: [T] = []
            for list in lists { for x in list where seen.insert(x).inserted { out.append(x) } }
            return out
        }
        fields = union(substrates.map { s in s.outputOrder.map { s.fields[$0] } })
        countKeys = union(substrates.map(\.countKeys))
        tableCountKeys = union(substrates.map(\.tableCountKeys))
        let used = Set(substrates.flatMap(\.components))
        components = ComponentKey.all.filter(used.contains)
    }

    /// The columns of the substrates the workload's layers offer.
    public init(workload: Workload) {
        self.init(substrates: Set(workload.layers.flatMap { $0.choices.substrates.map(\.substrate) }))
    }

    /// Whether reports need a `substrate` column.
    public var showsSubstrate: Bool { substrates != [.crossbar] }

    /// The option's field values as text, per `fields` ("" for another substrate's field).
    public func fieldTexts(_ option: SubstrateOption) -> [String] {
        fields.map { field in
            option.substrate.fields.firstIndex(of: field).map { field.text(option.values[$0]) } ?? ""
        }
    }

    /// The cost's counts as text, per the given keys ("" for a count its substrate lacks).
    public func countTexts(_ cost: LayerCost, keys: [String]) -> [String] {
        keys.map { cost.count($0).map(String.init) ?? "" }
    }
}
