/// The crossbar as a `Substrate`: its costs (`CrossbarCost.swift`) and its functional error, the
/// bit-sliced simulation of `NSRTables` (input truncation and ADC quantisation).
extension CrossbarArchitecture: Substrate {
    public var kind: SubstrateKind { .crossbar }

    /// The precision fields, input bits capped at the activation bits (more input bits than the
    /// activations have change nothing).
    public func errorKey(of option: SubstrateOption) -> ErrorKey {
        precondition(option.substrate == .crossbar)
        var v = option.precisionPart.values
        v[CrossbarOption.inputBits] = min(v[CrossbarOption.inputBits], Int32(activationBits))
        return ErrorKey(substrate: .crossbar, values: v)
    }

    /// The key of (input bits, ADC bits).
    public func errorKey(inputBits: Int, adcBits: Int) -> ErrorKey {
        errorKey(of: CrossbarOption.option(adcType: .sar, adcBits: adcBits, columnSharing: 1, inputBits: inputBits))
    }

    /// Every (input bits, ADC bits) pair of the keys' values is simulated on each layer, at the
    /// hardware's bits per cell; the NSR is against the settings' reference.
    public func measureErrors(layers: [FunctionalLayer], keys: Set<ErrorKey>, settings: NoiseSettings,
                              threads: Int) -> [[ErrorKey: NoiseEstimate]] {
        guard !keys.isEmpty else { return layers.map { _ in [:] } }
        let inputBits = Set(keys.map { Int($0.values[CrossbarOption.inputBits]) })
        let adcBits = Set(keys.map { Int($0.values[CrossbarOption.adcBits]) })
        let options = NSRTableOptions(inputBits: Array(inputBits), adcBits: Array(adcBits), bitsPerCell: [geometry.bitsPerCell],
                                      range: settings.range)
        let tables = NSRTables.build(layers: layers, geometry: geometry, weightBits: weightBits, activationBits: activationBits,
                                     options: options, threads: threads)
        return tables.map { table in
            var out: [ErrorKey: NoiseEstimate] = [:]
            for i in options.inputBits {
                for a in options.adcBits {
                    let sums = table[inputBits: i, adcBits: a, bitsPerCell: geometry.bitsPerCell]!
                    out[errorKey(inputBits: i, adcBits: a)] = NoiseEstimate(settings.reference == .float ? sums.vsFloat : sums.vsActivationBits)
                }
            }
            return out
        }
    }
}
