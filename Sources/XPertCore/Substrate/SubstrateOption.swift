/// One choice field of a substrate's layer options: its JSON key, whether it belongs to the
/// architecture (what XPert's phase 1 picks) or the precision (its phase 2), and, for a named
/// field, the names its values index.
public struct OptionField: Sendable, Hashable {
    public enum Role: Sendable, Hashable { case architecture, precision }

    public let key: String
    /// The column title in plain-text tables (`xpert evaluate`).
    public let title: String
    public let role: Role
    /// Value `i` of a named field is `names[i]`; nil for an integer field.
    public let names: [String]?

    public init(key: String, title: String? = nil, role: Role, names: [String]? = nil) {
        self.key = key
        self.title = title ?? key
        self.role = role
        self.names = names
    }

    /// A value as JSON: its name, or the integer.
    public func json(_ value: Int32) -> JSONValue {
        names.map { .string($0[Int(value)]) } ?? .number(Double(value))
    }

    /// A value as text (CSV lists).
    public func text(_ value: Int32) -> String { names.map { $0[Int(value)] } ?? "\(value)" }
}

/// A layer's choices on one substrate: the values of each of its option fields, per field, in
/// the order the space gives; a layer's options on the substrate are every combination.
public struct SubstrateChoices: Sendable, Hashable {
    public let substrate: SubstrateKind
    /// `values[f]`: the values of field f (`substrate.fields[f]`).
    public let values: [[Int32]]

    public init(substrate: SubstrateKind, values: [[Int32]]) {
        precondition(values.count == substrate.fields.count && values.allSatisfy { !$0.isEmpty })
        self.substrate = substrate
        self.values = values
    }

    /// Field indices of the architecture part, then of the precision part.
    public var architectureFields: [Int] { substrate.fields.indices.filter { substrate.fields[$0].role == .architecture } }
    public var precisionFields: [Int] { substrate.fields.indices.filter { substrate.fields[$0].role == .precision } }

    /// Every combination of the given fields' values, the first field outermost; each as a
    /// full value vector with the other fields 0.
    func combinations(of fields: [Int]) -> [SIMD4<Int32>] {
        var out: [SIMD4<Int32>] = [.zero]
        for f in fields {
            out = out.flatMap { partial in values[f].map { v -> SIMD4<Int32> in var p = partial; p[f] = v; return p } }
        }
        return out
    }

    /// The architecture options and the precision options of this substrate.
    public var architectures: [SIMD4<Int32>] { combinations(of: architectureFields) }
    public var precisions: [SIMD4<Int32>] { combinations(of: precisionFields) }

    /// Every option of this substrate (all fields), as value vectors.
    public var allOptions: [SIMD4<Int32>] { combinations(of: Array(substrate.fields.indices)) }

    /// Options per layer output-channel choice.
    public var count: Int { values.reduce(1) { $0 * $1.count } }
}

/// A layer option on a substrate: the value of each of its option fields (`substrate.fields`
/// order, at most four). Which substrate interprets the values is part of the option.
public struct SubstrateOption: Sendable, Hashable {
    public var substrate: SubstrateKind
    public var values: SIMD4<Int32>

    public init(substrate: SubstrateKind, values: SIMD4<Int32>) {
        self.substrate = substrate
        self.values = values
    }

    /// The option's architecture part (precision fields 0) and precision part (architecture fields 0).
    public var architecturePart: SubstrateOption { part(.architecture) }
    public var precisionPart: SubstrateOption { part(.precision) }

    func part(_ role: OptionField.Role) -> SubstrateOption {
        var v = values
        for (f, field) in substrate.fields.enumerated() where field.role != role { v[f] = 0 }
        return SubstrateOption(substrate: substrate, values: v)
    }

    /// The option's fields as JSON members, in the substrate's output order.
    public var members: [(key: String, value: JSONValue)] {
        substrate.outputOrder.map { f in (substrate.fields[f].key, substrate.fields[f].json(values[f])) }
    }
}

/// What a layer option's functional error depends on (besides the layer's shape): the noise
/// tables are indexed by it. The substrate and its precision fields.
public struct ErrorKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var substrate: SubstrateKind
    public var values: SIMD4<Int32>

    public init(substrate: SubstrateKind, values: SIMD4<Int32>) {
        self.substrate = substrate
        self.values = values
    }

    public static func < (a: ErrorKey, b: ErrorKey) -> Bool {
        if a.substrate != b.substrate { return a.substrate.rawValue < b.substrate.rawValue }
        for i in 0..<4 where a.values[i] != b.values[i] { return a.values[i] < b.values[i] }
        return false
    }

    public var description: String {
        "\(substrate.rawValue)(" + substrate.fields.indices.map { "\(substrate.fields[$0].key)=\(values[$0])" }.joined(separator: ",") + ")"
    }
}
