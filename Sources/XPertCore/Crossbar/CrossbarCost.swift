extension CrossbarArchitecture {
    /// The components a crossbar layer's cost reports, in column order.
    public static let components: [ComponentKey] = [.adc, .cellArray, .rowDrivers, .columnMux, .shiftAdd, .adderTree, .buffer,
                                                    .interconnect, .other]

    /// The mapping counts a crossbar layer's cost reports, in order (`LayerCost.counts`).
    public static let countKeys = ["crossbars", "tiles", "adcs", "adc_conversions"]

    /// The cost of `layer` reading `inChannels` channels under `design`, per inference.
    public func cost(of layer: Layer, inChannels: Int, design d: LayerDesign) -> LayerCost {
        cost(of: layer, inChannels: inChannels, outChannels: d.outChannels, option: d.option)
    }

    /// The cost of `layer` reading `inChannels` channels with `outChannels` outputs and the
    /// crossbar `option`, per inference: the mapping's counts (`CrossbarMapping`) priced by the
    /// component models.
    public func cost(of layer: Layer, inChannels: Int, outChannels: Int, option: SubstrateOption) -> LayerCost {
        let hw = hardware
        let v = option.values
        let adcBits = Int(v[CrossbarOption.adcBits]), inputBitCount = Int(v[CrossbarOption.inputBits])
        let sharing = Int(v[CrossbarOption.columnSharing])
        let sar = v[CrossbarOption.adcType] == 0
        let m = CrossbarMapping(layer: layer, inChannels: inChannels, outChannels: outChannels, inputBits: inputBitCount,
                                columnSharing: sharing, geometry: geometry, weightBits: weightBits, activationBits: activationBits,
                                hardware: hw, busWidthBits: busWidthBits)
        let adcsPerCrossbar = m.adcsPerCrossbar
        let sharingIndex = sharing.trailingZeroBitCount
        let adc = sar ? sarADCs[adcBits - 1] : flashADCs[sharingIndex][adcBits - 1]
        let column = columnPeriphery[sharingIndex]
        let shiftAdd = shiftAdds[(adcBits - 1) * 16 + inputBitCount - 1]
        // Partial sums grow by the input bits shifted in and the row groups added.
        let partialSumBits = min(Self.maxPartialSumBits, adcBits + inputBitCount + ceilLog2(m.readGroups))
        let adder = adders[partialSumBits - 1]
        let peTree = peTrees[partialSumBits - 1]

        let p = Double(m.positions), inputBits = Double(inputBitCount)
        let conv = Double(m.conversions)

        var cost = LayerCost(substrate: .crossbar)
        cost.counts = SIMD8(m.crossbars, m.tiles, m.crossbars * adcsPerCrossbar, m.conversions, 0, 0, 0, 0)
        cost.macs = m.macs

        // Area: whole tiles are allocated, so unused crossbar slots are paid for.
        let slotCount = Double(m.slots), lanes = Double(m.slots * adcsPerCrossbar)
        cost.areaUM2[.cellArray] = slotCount * cellArray.areaUM2
        cost.areaUM2[.rowDrivers] = slotCount * rowDrivers.areaUM2
        cost.areaUM2[.columnMux] = slotCount * column.areaUM2
        cost.areaUM2[.adc] = lanes * adc.areaUM2
        cost.areaUM2[.shiftAdd] = lanes * shiftAdd.areaUM2
        cost.areaUM2[.adderTree] = Double(m.allocatedPEs * adcsPerCrossbar) * peTree.areaUM2
        cost.areaUM2[.buffer] = Double(m.tiles) * tileBuffer.areaUM2

        // Energy per inference.
        let activity = hw.inputActivity
        let onFraction = hw.cellOnFraction
        let cellReadScale = onFraction + (1 - onFraction) / hw.device.onOffRatio
        cost.energyPJ[.cellArray] = p * inputBits * Double(m.matrixRows * m.usedCols) * activity * cellReadScale * cellArray.energyPJ
        cost.energyPJ[.rowDrivers] = p * inputBits * Double(m.matrixRows * m.colBlocks) * activity * rowDrivers.energyPJ
        cost.energyPJ[.adc] = conv * adc.energyPJ
        cost.energyPJ[.columnMux] = conv * column.energyPerColumnReadPJ
        cost.energyPJ[.shiftAdd] = conv * shiftAdd.energyPJ
        cost.energyPJ[.adderTree] = p * Double(m.additions) * adder.energyPJ
        cost.energyPJ[.buffer] = p * Double(m.inputVectorBits + m.outputVectorBits) * tileBuffer.energyPerBitPJ

        // Chip-level wires: the layer's tiles on a square grid; an input vector is broadcast
        // once over a wire spanning them, and the output vector returns over the same span.
        let tilePitchUM = (tileAreaUM2(adcsPerCrossbar: adcsPerCrossbar, adc: adc, column: column,
                                       shiftAdd: shiftAdd, peTree: peTree)).squareRoot()
        let spanUM = tilePitchUM * Double(m.tiles).squareRoot()
        cost.areaUM2[.interconnect] = Double(m.tiles) * tilePitchUM * unitWire.areaUM2
        cost.energyPJ[.interconnect] = p * Double(m.inputVectorBits + m.outputVectorBits) * spanUM * unitWire.energyPJ

        // Latency: layer by layer; crossbars work in parallel, reads of one crossbar in series.
        let reads = p * inputBits * Double(m.serialReads)
        cost.latencyNS[.cellArray] = reads * column.arrayReadNS
        cost.latencyNS[.adc] = reads * Double(sharing) * adc.latencyNS
        cost.latencyNS[.shiftAdd] = reads * shiftAdd.latencyNS
        cost.latencyNS[.adderTree] = p * Double(ceilLog2(m.readGroups * columnsPerWeight)) * adder.latencyNS
        cost.latencyNS[.buffer] = p * Double(m.loads) * tileBuffer.latencyNS
        cost.latencyNS[.interconnect] = p * spanUM * unitWire.latencyNS

        pooling.price(layer, outChannels: outChannels, groups: m.allocatedPEs, into: &cost)
        return cost
    }

    /// Area of one tile at this column sharing: its crossbar slots with their periphery,
    /// PE adder trees and the tile buffer (wires excluded); it sets the tile pitch.
    func tileAreaUM2(adcsPerCrossbar: Int, adc: Figures, column: ColumnPeriphery,
                     shiftAdd: Figures, peTree: Figures) -> Double {
        let perCrossbar = cellArray.areaUM2 + rowDrivers.areaUM2 + column.areaUM2
            + Double(adcsPerCrossbar) * (adc.areaUM2 + shiftAdd.areaUM2)
        let perPE = Double(hardware.crossbarsPerPE) * perCrossbar + Double(adcsPerCrossbar) * peTree.areaUM2
        return Double(hardware.pesPerTile) * perPE + tileBuffer.areaUM2
    }
}

extension LayerCost {
    /// A crossbar layer's counts: crossbars holding its weights, tiles, ADCs and ADC
    /// conversions per inference.
    public var crossbars: Int { count("crossbars")! }
    public var tiles: Int { count("tiles")! }
    public var adcs: Int { count("adcs")! }
    public var adcConversions: Int { count("adc_conversions")! }
}
