extension DaismArray {
    /// The components a DAISM layer's cost reports, in column order.
    public static let components: [ComponentKey] = [.cellArray, .senseAmp, .wordLineLogic, .multiplier, .accumulator,
                                                    .adderTree, .buffer, .interconnect, .other]

    /// The mapping counts a DAISM layer's cost reports, in order (`LayerCost.counts`).
    public static let countKeys = ["arrays", "array_reads"]

    /// Rows a multiply opens on average: one per nonzero group of B, with B's bits taken as
    /// independent and even (`or`: n/2; `pcK`: groups x (1 - 2^-k)); `exact` opens one.
    static func meanOpenRows(_ v: DaismVariant, bits n: Int) -> Double {
        guard let k = v.groupBits else { return 1 }
        return Double(v.groups(bits: n)) * (1 - 1 / Double(1 << k))
    }

    /// The cost of `layer` reading `inChannels` channels with `outChannels` outputs and the DAISM
    /// `option`, per inference: the mapping's counts priced by the component models.
    public func cost(of layer: Layer, inChannels: Int, outChannels: Int, option: SubstrateOption) -> LayerCost {
        let (variant, n) = DaismOption.fields(of: option)
        let m = DaismMapping(layer: layer, inChannels: inChannels, outChannels: outChannels, variant: variant, bits: n,
                             settings: settings)
        let arrays = Double(m.arrays), reads = Double(m.reads), p = Double(m.positions)
        let slots = Double(m.slotsPerRow)
        let usedCols = Double(m.slotsPerRow * m.slotWidth)
        var cost = LayerCost(substrate: .daism)
        cost.counts = SIMD8(m.arrays, m.reads, 0, 0, 0, 0, 0, 0)
        cost.macs = m.macs

        // The arrays: cells with decoder, prechargers and write drivers; one full-row read per
        // multiply, plus the extra word lines the activation opens.
        cost.areaUM2[.cellArray] = arrays * array.areaUM2
        cost.energyPJ[.cellArray] = reads * (usedCols * array.readEnergyPerBitPJ
                                             + (Self.meanOpenRows(variant, bits: n) - 1) * wordLineEnergyPJ)
        let serial = p * Double(m.serialReads)
        cost.latencyNS[.cellArray] = serial * array.latencyNS

        cost.areaUM2[.senseAmp] = arrays * Double(settings.cols) * senseAmp.areaUM2
        cost.energyPJ[.senseAmp] = reads * usedCols * senseAmp.energyPJ
        cost.latencyNS[.senseAmp] = serial * senseAmp.latencyNS

        // Word-line logic per array: `or` gates each of the n rows by a bit of B (a 2-input AND);
        // `pcK` decodes each k-bit group to one of its 2^k - 1 rows (a k-input AND per row, as
        // k - 1 two-input ANDs). Per read the opened rows' gates switch.
        if let k = variant.groupBits {
            let and2 = nand.areaUM2 + inverter.areaUM2
            let gatesPerRow = Double(max(1, k - 1))
            cost.areaUM2[.wordLineLogic] = arrays * Double(variant.rowsPerWeight(bits: n)) * gatesPerRow * and2
            cost.energyPJ[.wordLineLogic] = reads * Self.meanOpenRows(variant, bits: n) * gatesPerRow * (nand.energyPJ + inverter.energyPJ)
            cost.latencyNS[.wordLineLogic] = serial * Double(ceilLog2(k) + 1) * (nand.latencyNS + inverter.latencyNS)
        } else {
            // `exact`: an n x n array multiplier per slot: n^2 partial-product ANDs, n - 1 adders of
            // n bits; its critical path is about two adders' carry chains.
            let multiplierArea = Double(n * n) * (nand.areaUM2 + inverter.areaUM2) + Double(n - 1) * adder(n).areaUM2
            let multiplierEnergy = 0.5 * Double(n * n) * (nand.energyPJ + inverter.energyPJ) + Double(n - 1) * adder(n).energyPJ
            cost.areaUM2[.multiplier] = arrays * slots * multiplierArea
            cost.energyPJ[.multiplier] = reads * slots * multiplierEnergy
            cost.latencyNS[.multiplier] = serial * 2 * adder(n).latencyNS
        }

        // A signed accumulator (adder and register) per slot; one addition per multiply.
        let acc = m.accumulatorBits
        cost.areaUM2[.accumulator] = arrays * slots * (adder(acc).areaUM2 + register(acc).areaUM2)
        cost.energyPJ[.accumulator] = reads * slots * (adder(acc).energyPJ + register(acc).energyPJ)
        cost.latencyNS[.accumulator] = serial * adder(acc).latencyNS

        // Row blocks summed per output and position.
        let treeBits = acc + ceilLog2(m.rowBlocks)
        cost.areaUM2[.adderTree] = m.rowBlocks > 1 ? Double(m.colBlocks) * slots * adder(treeBits).areaUM2 : 0
        cost.energyPJ[.adderTree] = p * Double(m.outputs * (m.rowBlocks - 1)) * adder(treeBits).energyPJ
        cost.latencyNS[.adderTree] = p * Double(ceilLog2(m.rowBlocks)) * adder(treeBits).latencyNS

        // Buffer: one input vector (n bits per row) and one output vector per array, double-buffered.
        let buffer = self.buffer(variant, bits: n)
        let vectorBits = Double(m.matrixRows * n + m.outputs * activationBits)
        cost.areaUM2[.buffer] = arrays * buffer.areaUM2
        cost.energyPJ[.buffer] = p * vectorBits * buffer.energyPerBitPJ
        let loads = (m.serialReads * n + busWidthBits - 1) / busWidthBits
            + (min(m.slotsPerRow, m.outputs) * activationBits + busWidthBits - 1) / busWidthBits
        cost.latencyNS[.buffer] = p * Double(loads) * buffer.latencyNS

        // Wires: the arrays on a square grid; each vector crosses the span once.
        let pitchUM = (array.areaUM2 + Double(settings.cols) * senseAmp.areaUM2 + buffer.areaUM2).squareRoot()
        let spanUM = pitchUM * arrays.squareRoot()
        cost.areaUM2[.interconnect] = arrays * pitchUM * unitWire.areaUM2
        cost.energyPJ[.interconnect] = p * vectorBits * spanUM * unitWire.energyPJ
        cost.latencyNS[.interconnect] = p * spanUM * unitWire.latencyNS

        pooling.price(layer, outChannels: outChannels, groups: m.arrays, into: &cost)
        return cost
    }
}

extension LayerCost {
    /// A DAISM layer's counts: arrays holding its weights and array reads per inference.
    public var arrays: Int { count("arrays")! }
    public var arrayReads: Int { count("array_reads")! }
}
