/// ADC architecture at the end of each crossbar column group.
public enum ADCType: String, Sendable, Hashable, CaseIterable, Codable {
    case sar
    case flash
}

/// The crossbar's option fields: ADC type and column sharing (architecture), ADC bits and
/// input bits (precision). A design names them `adc_type`, `adc_bits`, `column_sharing`,
/// `input_bits`.
public enum CrossbarOption {
    /// Value positions in a `SubstrateOption`.
    static let adcType = 0, columnSharing = 1, adcBits = 2, inputBits = 3

    static let fields: [OptionField] = [
        OptionField(key: "adc_type", title: "adc", role: .architecture, names: ADCType.allCases.map(\.rawValue)),
        OptionField(key: "column_sharing", title: "sharing", role: .architecture),
        OptionField(key: "adc_bits", role: .precision),
        OptionField(key: "input_bits", title: "in_bits", role: .precision),
    ]

    /// Designs and CSV lists name the fields in this order.
    static let outputOrder = [adcType, adcBits, columnSharing, inputBits]

    /// The option of these choices.
    public static func option(adcType: ADCType, adcBits: Int, columnSharing: Int, inputBits: Int) -> SubstrateOption {
        SubstrateOption(substrate: .crossbar,
                        values: SIMD4(Int32(ADCType.allCases.firstIndex(of: adcType)!), Int32(columnSharing), Int32(adcBits), Int32(inputBits)))
    }
}

extension LayerDesign {
    /// A crossbar layer's design.
    public init(outChannels: Int, adcType: ADCType, adcBits: Int, columnSharing: Int, inputBits: Int) {
        self.init(outChannels: outChannels,
                  option: CrossbarOption.option(adcType: adcType, adcBits: adcBits, columnSharing: columnSharing, inputBits: inputBits))
    }

    /// The crossbar fields of a crossbar layer's design.
    public var adcType: ADCType {
        get { ADCType.allCases[crossbarValue(CrossbarOption.adcType)] }
        set { setCrossbarValue(CrossbarOption.adcType, ADCType.allCases.firstIndex(of: newValue)!) }
    }
    public var adcBits: Int {
        get { crossbarValue(CrossbarOption.adcBits) }
        set { setCrossbarValue(CrossbarOption.adcBits, newValue) }
    }
    public var columnSharing: Int {
        get { crossbarValue(CrossbarOption.columnSharing) }
        set { setCrossbarValue(CrossbarOption.columnSharing, newValue) }
    }
    public var inputBits: Int {
        get { crossbarValue(CrossbarOption.inputBits) }
        set { setCrossbarValue(CrossbarOption.inputBits, newValue) }
    }

    private func crossbarValue(_ position: Int) -> Int {
        precondition(option.substrate == .crossbar, "a crossbar field of a \(option.substrate.rawValue) layer")
        return Int(option.values[position])
    }

    private mutating func setCrossbarValue(_ position: Int, _ value: Int) {
        precondition(option.substrate == .crossbar, "a crossbar field of a \(option.substrate.rawValue) layer")
        option.values[position] = Int32(value)
    }
}

extension LayerChoices {
    /// The layer's crossbar choices (the first substrate's, which is the crossbar in a space
    /// that offers only the crossbar).
    var crossbar: SubstrateChoices? { substrates.first { $0.substrate == .crossbar } }

    public var adcTypes: [ADCType] { crossbar?.values[CrossbarOption.adcType].map { ADCType.allCases[Int($0)] } ?? [] }
    public var adcBits: [Int] {
        get { crossbarValues(CrossbarOption.adcBits) }
        set { setCrossbarValues(CrossbarOption.adcBits, newValue) }
    }
    public var columnSharing: [Int] {
        get { crossbarValues(CrossbarOption.columnSharing) }
        set { setCrossbarValues(CrossbarOption.columnSharing, newValue) }
    }
    public var inputBits: [Int] {
        get { crossbarValues(CrossbarOption.inputBits) }
        set { setCrossbarValues(CrossbarOption.inputBits, newValue) }
    }

    private func crossbarValues(_ field: Int) -> [Int] { crossbar?.values[field].map(Int.init) ?? [] }

    private mutating func setCrossbarValues(_ field: Int, _ list: [Int]) {
        guard let s = substrates.firstIndex(where: { $0.substrate == .crossbar }) else { preconditionFailure("the layer does not offer the crossbar") }
        var values = substrates[s].values
        values[field] = list.map(Int32.init)
        substrates[s] = SubstrateChoices(substrate: .crossbar, values: values)
    }

    /// Crossbar-only choices.
    public init(adcTypes: [ADCType], adcBits: [Int], columnSharing: [Int], inputBits: [Int]) {
        var values = [[Int32]](repeating: [], count: 4)
        values[CrossbarOption.adcType] = adcTypes.map { Int32(ADCType.allCases.firstIndex(of: $0)!) }
        values[CrossbarOption.columnSharing] = columnSharing.map(Int32.init)
        values[CrossbarOption.adcBits] = adcBits.map(Int32.init)
        values[CrossbarOption.inputBits] = inputBits.map(Int32.init)
        self.init(substrates: [SubstrateChoices(substrate: .crossbar, values: values)])
    }
}
