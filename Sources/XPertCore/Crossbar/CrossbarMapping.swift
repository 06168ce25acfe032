/// `ceil(log2(n))` for n >= 1: the depth of a binary tree over n inputs.
@inlinable
func ceilLog2(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }

/// How one layer maps onto the crossbars and what one inference makes them do: counts only
/// (crossbars, reads, conversions, additions, bits moved), no prices. The cost model prices
/// them (`CrossbarArchitecture.cost`); a new action is a count here and a price there.
///
/// The `rows x cols` weight matrix (`Cin*K*K` x `Cout*columnsPerWeight`) is cut into
/// `rowBlocks x colBlocks` crossbars (`CrossbarGeometry`); every output position is one MVM fed
/// bit-serially over `inputBits` cycles; each cycle reads the rows in groups of `parallelRows`,
/// and each read converts every used column, an ADC serving `columnSharing` columns one after
/// another. Crossbars are grouped into PEs and whole tiles.
public struct CrossbarMapping: Sendable, Hashable {
    /// Weight-matrix rows and outputs (output channels).
    public let matrixRows: Int, outputs: Int
    public let rowBlocks: Int, colBlocks: Int
    /// Crossbars holding the weights.
    public let crossbars: Int
    /// Columns read and converted: weight columns, plus one reference column per column block
    /// with the offset scheme.
    public let usedCols: Int
    /// Row groups summed over row blocks (reads per input bit) and of the slowest block.
    public let readGroups: Int, serialReads: Int
    public let adcsPerCrossbar: Int
    /// PEs allocated (whole tiles), tiles, and crossbar slots of those PEs.
    public let allocatedPEs: Int, tiles: Int, slots: Int
    public let positions: Int
    /// Column conversions per inference.
    public let conversions: Int
    /// Additions per output position: row groups of one column, then slices (and sign or offset).
    public let additions: Int
    /// Bits of one input vector (at the input precision) and of one output vector.
    public let inputVectorBits: Int, outputVectorBits: Int
    /// Bus words loaded per output position into one crossbar's inputs and out of its outputs.
    public let loads: Int
    public let macs: Int

    public init(layer: Layer, inChannels: Int, outChannels outputs: Int, inputBits: Int, columnSharing: Int,
                geometry: CrossbarGeometry, weightBits: Int, activationBits: Int, hardware: HardwareSpec, busWidthBits: Int) {
        let columnsPerWeight = geometry.columnsPerWeight(weightBits: weightBits)
        let matrixRows = layer.weightRows(inChannels: inChannels)
        let weightCols = outputs * columnsPerWeight
        let rowCounts = geometry.rowCounts(rows: matrixRows)
        let colBlocks = (weightCols + geometry.weightColumns - 1) / geometry.weightColumns
        let crossbars = rowCounts.blocks * colBlocks
        let offsetScheme = geometry.signScheme == .offset
        let usedCols = weightCols + (offsetScheme ? colBlocks : 0)
        let pes = (crossbars + hardware.crossbarsPerPE - 1) / hardware.crossbarsPerPE
        let tiles = (pes + hardware.pesPerTile - 1) / hardware.pesPerTile
        let positions = layer.outputPositions
        self.matrixRows = matrixRows
        self.outputs = outputs
        rowBlocks = rowCounts.blocks
        self.colBlocks = colBlocks
        self.crossbars = crossbars
        self.usedCols = usedCols
        readGroups = rowCounts.groups
        serialReads = rowCounts.serialGroups
        adcsPerCrossbar = geometry.crossbarCols / columnSharing
        self.tiles = tiles
        allocatedPEs = tiles * hardware.pesPerTile
        slots = allocatedPEs * hardware.crossbarsPerPE
        self.positions = positions
        conversions = positions * inputBits * rowCounts.groups * usedCols
        additions = usedCols * (rowCounts.groups - 1) + outputs * (columnsPerWeight - 1 + (offsetScheme ? 1 : 0))
        inputVectorBits = matrixRows * inputBits
        outputVectorBits = outputs * activationBits
        loads = (min(geometry.crossbarRows, matrixRows) * inputBits + busWidthBits - 1) / busWidthBits
            + (min(geometry.crossbarCols, usedCols) / columnsPerWeight * activationBits + busWidthBits - 1) / busWidthBits
        macs = layer.macs(inChannels: inChannels, outChannels: outputs)
    }
}
