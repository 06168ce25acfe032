/// `ceil(log2(n))` for n >= 1: the depth of a binary tree over n inputs.
@inlinable
func ceilLog2(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }

extension CrossbarArchitecture {
    /// The cost of `layer` reading `inChannels` channels under `design`, per inference.
    ///
    /// Mapping (DESIGN.md): the `rows x cols` weight matrix (`Cin*K*K` x `Cout*columnsPerWeight`)
    /// is cut into `rowBlocks x colBlocks` crossbars; every output position is one MVM fed
    /// bit-serially over `inputBits` cycles; each cycle reads the rows in groups of
    /// `parallelRows`, and each read converts every used column, an ADC serving
    /// `columnSharing` columns one after another.
    public func cost(of layer: Layer, inChannels: Int, design d: LayerDesign) -> LayerCost {
        let hw = hardware
        let rows = hw.rows, cols = hw.cols, parallelRows = hw.parallelRows
        let matrixRows = layer.weightRows(inChannels: inChannels)
        let outputs = d.outChannels
        let weightCols = outputs * columnsPerWeight
        let rowBlocks = (matrixRows + rows - 1) / rows
        let colBlocks = (weightCols + weightColumnsPerCrossbar - 1) / weightColumnsPerCrossbar
        let crossbars = rowBlocks * colBlocks
        let offsetScheme = hw.signScheme == .offset
        let usedCols = weightCols + (offsetScheme ? colBlocks : 0)
        let lastBlockRows = matrixRows - (rowBlocks - 1) * rows
        let groupsPerFullBlock = (rows + parallelRows - 1) / parallelRows
        let groupsLastBlock = (lastBlockRows + parallelRows - 1) / parallelRows
        // Reads per input bit summed over row blocks (energy) and in the slowest block (time).
        let readGroups = (rowBlocks - 1) * groupsPerFullBlock + groupsLastBlock
        let serialReads = rowBlocks > 1 ? groupsPerFullBlock : groupsLastBlock
        let sharing = d.columnSharing
        let adcsPerCrossbar = cols / sharing

        let pes = (crossbars + hw.crossbarsPerPE - 1) / hw.crossbarsPerPE
        let tiles = (pes + hw.pesPerTile - 1) / hw.pesPerTile
        let allocatedPEs = tiles * hw.pesPerTile
        let slots = allocatedPEs * hw.crossbarsPerPE

        let sharingIndex = sharing.trailingZeroBitCount
        let adc = d.adcType == .sar ? sarADCs[d.adcBits - 1] : flashADCs[sharingIndex][d.adcBits - 1]
        let column = columnPeriphery[sharingIndex]
        let shiftAdd = shiftAdds[(d.adcBits - 1) * 16 + d.inputBits - 1]
        // Partial sums grow by the input bits shifted in and the row groups added.
        let partialSumBits = min(Self.maxPartialSumBits, d.adcBits + d.inputBits + ceilLog2(readGroups))
        let adder = adders[partialSumBits - 1]
        let peTree = peTrees[partialSumBits - 1]

        let positions = layer.outputPositions
        let p = Double(positions), inputBits = Double(d.inputBits)
        let conversions = positions * d.inputBits * readGroups * usedCols
        let conv = Double(conversions)

        var cost = LayerCost()
        cost.crossbars = crossbars
        cost.crossbarSlots = slots
        cost.tiles = tiles
        cost.adcs = crossbars * adcsPerCrossbar
        cost.adcConversions = conversions
        cost.macs = layer.macs(inChannels: inChannels, outChannels: outputs)

        // Area: whole tiles are allocated, so unused crossbar slots are paid for.
        let slotCount = Double(slots), lanes = Double(slots * adcsPerCrossbar)
        cost.areaUM2.cellArray = slotCount * cellArray.areaUM2
        cost.areaUM2.rowDrivers = slotCount * rowDrivers.areaUM2
        cost.areaUM2.columnMux = slotCount * column.areaUM2
        cost.areaUM2.adc = lanes * adc.areaUM2
        cost.areaUM2.shiftAdd = lanes * shiftAdd.areaUM2
        cost.areaUM2.adderTree = Double(allocatedPEs * adcsPerCrossbar) * peTree.areaUM2
        cost.areaUM2.buffer = Double(tiles) * tileBuffer.areaUM2

        // Energy per inference.
        let activity = hw.inputActivity
        let onFraction = hw.cellOnFraction
        let cellReadScale = onFraction + (1 - onFraction) / hw.device.onOffRatio
        cost.energyPJ.cellArray = p * inputBits * Double(matrixRows * usedCols) * activity * cellReadScale * cellArray.energyPJ
        cost.energyPJ.rowDrivers = p * inputBits * Double(matrixRows * colBlocks) * activity * rowDrivers.energyPJ
        cost.energyPJ.adc = conv * adc.energyPJ
        cost.energyPJ.columnMux = conv * column.energyPerColumnReadPJ
        cost.energyPJ.shiftAdd = conv * shiftAdd.energyPJ
        // Row groups of one column are summed, then slices (and sign or offset) per output.
        let additions = usedCols * (readGroups - 1) + outputs * (columnsPerWeight - 1 + (offsetScheme ? 1 : 0))
        cost.energyPJ.adderTree = p * Double(additions) * adder.energyPJ
        let inputVectorBits = matrixRows * d.inputBits
        let outputVectorBits = outputs * activationBits
        cost.energyPJ.buffer = p * Double(inputVectorBits + outputVectorBits) * tileBuffer.energyPerBitPJ

        // Chip-level wires: the layer's tiles on a square grid; an input vector is broadcast
        // once over a wire spanning them, and the output vector returns over the same span.
        let tilePitchUM = (tileAreaUM2(adcsPerCrossbar: adcsPerCrossbar, adc: adc, column: column,
                                       shiftAdd: shiftAdd, peTree: peTree)).squareRoot()
        let spanUM = tilePitchUM * Double(tiles).squareRoot()
        cost.areaUM2.interconnect = Double(tiles) * tilePitchUM * unitWire.areaUM2
        cost.energyPJ.interconnect = p * Double(inputVectorBits + outputVectorBits) * spanUM * unitWire.energyPJ

        // Latency: layer by layer; crossbars work in parallel, reads of one crossbar in series.
        let reads = p * inputBits * Double(serialReads)
        cost.latencyNS.cellArray = reads * column.arrayReadNS
        cost.latencyNS.adc = reads * Double(sharing) * adc.latencyNS
        cost.latencyNS.shiftAdd = reads * shiftAdd.latencyNS
        cost.latencyNS.adderTree = p * Double(ceilLog2(readGroups * columnsPerWeight)) * adder.latencyNS
        let bus = busWidthBits
        let loads = (min(rows, matrixRows) * d.inputBits + bus - 1) / bus
            + (min(cols, usedCols) / columnsPerWeight * activationBits + bus - 1) / bus
        cost.latencyNS.buffer = p * Double(loads) * tileBuffer.latencyNS
        cost.latencyNS.interconnect = p * spanUM * unitWire.latencyNS

        if let pooling = layer.pooling {
            let window = pooling.window(height: layer.outputHeight, width: layer.outputWidth)
            let pooled = pooling.output(height: layer.outputHeight, width: layer.outputWidth)!
            let unit = maxPool(window: window)
            let operations = Double(pooled.height * pooled.width * outputs)
            cost.areaUM2.other = Double(allocatedPEs) * unit.areaUM2
            cost.energyPJ.other = operations * unit.energyPJ
            cost.latencyNS.other = (operations / Double(allocatedPEs)).rounded(.up) * unit.latencyNS
        }
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
