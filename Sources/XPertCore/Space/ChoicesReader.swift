/// Reads a `choices` object (global, or a layer's override of the global lists).
enum ChoicesReader {
    static let keys = ["adc_type", "adc_bits", "column_sharing", "input_bits"]

    /// Reads the lists present in `node`; absent lists come from `base` (required when `base` is nil).
    static func read(_ node: JSONNode, hardware: HardwareSpec, activationBits: Int?, base: LayerChoices?) throws -> LayerChoices {
        let o = try node.object(allowing: keys)
        func list<T: Hashable>(_ key: String, _ inherited: [T]?, _ read: (JSONNode) throws -> T) throws -> [T] {
            if let n = o.optional(key) { return try n.choiceList(read) }
            if let inherited { return inherited }
            throw InputError(path: o.childPath(key), "missing required key")
        }
        let adcTypes = try list("adc_type", base?.adcTypes) { ADCType(rawValue: try $0.string(oneOf: ADCType.allCases.map(\.rawValue)))! }
        let adcBits = try list("adc_bits", base?.adcBits) { try $0.int(in: 1...16) }
        let sharing = try list("column_sharing", base?.columnSharing) { n -> Int in
            let v = try n.positiveInt()
            guard v <= hardware.cols else { throw n.fail("a column sharing of at most the crossbar's \(hardware.cols) columns") }
            guard hardware.cols % v == 0 else { throw n.fail("a divisor of the crossbar's \(hardware.cols) columns") }
            return v
        }
        let maxInput = activationBits ?? 16
        let inputBits = try list("input_bits", base?.inputBits) { try $0.int(in: 1...maxInput) }
        return LayerChoices(adcTypes: adcTypes, adcBits: adcBits, columnSharing: sharing, inputBits: inputBits)
    }
}
