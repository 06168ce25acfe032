/// DAISM's option fields: the variant (architecture: how a weight is stored and read) and the
/// operand bits n (precision: weight magnitudes and activations both n bits). A design names
/// them `daism_variant` and `operand_bits`.
public enum DaismOption {
    /// Value positions in a `SubstrateOption`.
    static let variant = 0, operandBits = 1

    static let fields: [OptionField] = [
        OptionField(key: "daism_variant", title: "variant", role: .architecture, names: DaismVariant.allCases.map(\.rawValue)),
        OptionField(key: "operand_bits", title: "op_bits", role: .precision),
    ]

    static let outputOrder = [variant, operandBits]

    /// The option of these choices.
    public static func option(variant: DaismVariant, operandBits: Int) -> SubstrateOption {
        SubstrateOption(substrate: .daism,
                        values: SIMD4(Int32(DaismVariant.allCases.firstIndex(of: variant)!), Int32(operandBits), 0, 0))
    }

    /// The variant and operand bits of a DAISM option.
    @inlinable
    public static func fields(of option: SubstrateOption) -> (variant: DaismVariant, bits: Int) {
        (DaismVariant.allCases[Int(option.values[0])], Int(option.values[1]))
    }
}

/// The space's `daism` section: the variants and operand bits every DAISM layer may choose,
/// and the SRAM array that holds the weights.
///
///     "daism": {"variants": ["exact", "or", "pc2", "pc3", "pc4"], "operand_bits": [8], "rows": 128, "cols": 128}
public struct DaismSettings: Sendable, Hashable {
    static let keys = ["variants", "operand_bits", "rows", "cols"]

    public var variants: [DaismVariant] = DaismVariant.allCases
    /// Operand bits n: 4 to 8 (bf16's significand is 8 bits with its leading one).
    public var operandBits: [Int] = [8]
    /// SRAM array rows and columns; by default the crossbar's, so the substrates compare at one array size.
    public var rows: Int
    public var cols: Int

    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// The layer choices these settings offer.
    public var choices: SubstrateChoices {
        SubstrateChoices(substrate: .daism, values: [variants.map { Int32(DaismVariant.allCases.firstIndex(of: $0)!) },
                                                     operandBits.map(Int32.init)])
    }

    static func read(_ node: JSONNode?, hardware: HardwareSpec) throws -> DaismSettings {
        var s = DaismSettings(rows: hardware.rows, cols: hardware.cols)
        guard let node else { return s }
        let o = try node.object(allowing: keys)
        s.sectionPath = o.path
        if let n = o.optional("variants") {
            s.variants = try n.choiceList { DaismVariant(rawValue: try $0.string(oneOf: DaismVariant.allCases.map(\.rawValue)))! }
        }
        if let n = o.optional("operand_bits") { s.operandBits = try n.choiceList { try $0.int(in: 4...8) } }
        if let n = o.optional("rows") { s.rows = try n.int(in: 32...4096) }
        if let n = o.optional("cols") { s.cols = try n.int(in: 32...4096) }
        return s
    }

    /// The JSON path of the `daism` section; nil when it is absent and the crossbar's array
    /// size is used.
    var sectionPath: String?

    /// Throws unless every variant fits one weight in the array at every operand width: checked
    /// when some layer offers DAISM.
    func checkFits() throws {
        func fail(_ key: String, _ message: String) -> InputError {
            guard let sectionPath else { return InputError(path: "$.daism", message + " (the crossbar's \(key); set daism.\(key))") }
            return InputError(path: "\(sectionPath).\(key)", message)
        }
        for v in variants {
            for b in operandBits {
                if v.rowsPerWeight(bits: b) > rows {
                    throw fail("rows", "at least \(v.rowsPerWeight(bits: b)) array rows (variant \(v.rawValue) stores a \(b)-bit weight in that many rows), found \(rows)")
                }
                if v.columnsPerWeight(bits: b) + 1 > cols {
                    throw fail("cols", "at least \(v.columnsPerWeight(bits: b) + 1) array columns (a \(b)-bit \(v.rawValue) weight and its sign), found \(cols)")
                }
            }
        }
    }
}
