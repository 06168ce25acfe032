/// Reads a `choices` object (global, or a layer's override of the global lists).
enum ChoicesReader {
    static let keys = ["substrate", "adc_type", "adc_bits", "column_sharing", "input_bits"]

    /// Reads the lists present in `node`; absent lists come from `base` (required when `base` is nil).
    /// `substrate` lists the substrates offered (default: the crossbar only); the crossbar's
    /// lists are read as always, DAISM's come from the space's `daism` section.
    static func read(_ node: JSONNode, hardware: HardwareSpec, activationBits: Int?, daism: DaismSettings,
                     base: Lists?) throws -> Lists {
        let o = try node.object(allowing: keys)
        func list<T: Hashable>(_ key: String, _ inherited: [T]?, _ read: (JSONNode) throws -> T) throws -> [T] {
            if let n = o.optional(key) { return try n.choiceList(read) }
            if let inherited { return inherited }
            throw InputError(path: o.childPath(key), "missing required key")
        }
        let adcTypes = try list("adc_type", base?.crossbar.adcTypes) { ADCType(rawValue: try $0.string(oneOf: ADCType.allCases.map(\.rawValue)))! }
        let adcBits = try list("adc_bits", base?.crossbar.adcBits) { try $0.int(in: 1...16) }
        let sharing = try list("column_sharing", base?.crossbar.columnSharing) { n -> Int in
            let v = try n.positiveInt()
            guard v <= hardware.cols else { throw n.fail("a column sharing of at most the crossbar's \(hardware.cols) columns") }
            guard hardware.cols % v == 0 else { throw n.fail("a divisor of the crossbar's \(hardware.cols) columns") }
            return v
        }
        let maxInput = activationBits ?? 16
        let inputBits = try list("input_bits", base?.crossbar.inputBits) { try $0.int(in: 1...maxInput) }
        let crossbar = LayerChoices(adcTypes: adcTypes, adcBits: adcBits, columnSharing: sharing, inputBits: inputBits)
        let kinds = try list("substrate", base?.substrates ?? [.crossbar]) {
            SubstrateKind(rawValue: try $0.string(oneOf: SubstrateKind.allCases.map(\.rawValue)))!
        }
        return Lists(crossbar: crossbar, substrates: kinds, daism: daism)
    }

    /// The lists read (the crossbar's kept whatever is offered, so layers inherit them) and
    /// the substrates offered.
    struct Lists {
        var crossbar: LayerChoices
        var substrates: [SubstrateKind]
        var daism: DaismSettings

        /// The layer's choices: each offered substrate's, in the listed order.
        var choices: LayerChoices {
            LayerChoices(substrates: substrates.map { kind in
                switch kind {
                case .crossbar: return crossbar.substrates[0]
                case .daism: return daism.choices
                }
            })
        }
    }
}
