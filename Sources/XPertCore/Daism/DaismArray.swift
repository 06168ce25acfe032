/// DAISM's hardware: SRAM arrays that hold a layer's weights in DAISM form, read with several
/// word lines open, with their periphery, composed from the existing component models.
///
/// Mapping (`DaismMapping`): a weight of n magnitude bits takes `variant.rowsPerWeight(n)` rows
/// and `variant.columnsPerWeight(n) + 1` bit lines (the product and the weight's sign) of an
/// array: a *slot*. An array holds `rows / rowsPerWeight` weight rows of `cols / slotWidth`
/// slots; the slots of one weight row belong to different output channels and share their word
/// lines, so one read multiplies one activation by every weight of the row. Per read the
/// activation's groups open one row per nonzero group; the bit lines return the OR of the opened
/// rows (the approximate product), one sense amplifier per bit line resolves it, and a signed
/// accumulator per slot adds it. The `exact` variant reads one row of A and multiplies in an
/// array multiplier per slot instead. Row blocks of a layer are summed by an adder tree; inputs
/// and outputs pass through an SRAM buffer and a wire spanning the layer's arrays.
public struct DaismArray: Sendable {
    public let settings: DaismSettings
    public let weightBits: Int
    public let activationBits: Int
    let technology: Technology
    /// The array as an SRAM of `rows x cols` bits read a whole row at a time (`SRAMBuffer`:
    /// cells, word-line decoder, prechargers, write drivers).
    let array: SRAMBuffer
    /// Energy of opening one more word line in the same read (the line's wire and access gates).
    let wordLineEnergyPJ: Double
    /// A latch-type sense amplifier per bit line. NeuroSim's `SenseAmp.cpp` models a latch; a
    /// one-bit flip-flop of the same standard cells stands in for it here.
    let senseAmp: FlipFlop
    /// Gates of the word-line logic (a 2-input AND: NAND and inverter).
    let nand: LogicGate, inverter: LogicGate
    /// Adders and registers per width (index bits - 1, up to `maxBits`).
    let adders: [Adder]
    let registers: [FlipFlop]
    let unitWire: Interconnect
    /// Per variant and operand bits (index `variant * 9 + bits`): the buffer of one array, one
    /// input vector (n bits per weight row) and one output vector, double-buffered.
    let buffers: [SRAMBuffer]
    let pooling: PoolingStage
    let busWidthBits = CrossbarArchitecture.defaultBusWidthBits
    static let maxBits = 48

    public init(settings: DaismSettings, hardware: HardwareSpec, weightBits: Int, activationBits: Int) {
        self.settings = settings
        self.weightBits = weightBits
        self.activationBits = activationBits
        let t = hardware.technology
        technology = t
        array = SRAMBuffer(capacityBits: settings.rows * settings.cols, busWidthBits: settings.cols, technology: t)
        // A word line spans the row: its wire and two access transistors' gates per cell (6T SRAM).
        let f = t.featureSizeM
        let cell = MemoryCell.sram
        let wireF = Double(settings.cols) * cell.widthF * f * t.wireCapacitanceFFPerUM * 1e-15 / 1e-6
        let gatesF = Double(2 * settings.cols) * cell.accessWidthF * f * t.gateCapacitanceFFPerUM * 1e-15 / 1e-6
        wordLineEnergyPJ = (wireF + gatesF) * t.vddV * t.vddV * 1e12
        senseAmp = FlipFlop(bits: 1, technology: t)
        nand = LogicGate(.nand, technology: t)
        inverter = LogicGate(.not, technology: t)
        adders = (1...Self.maxBits).map { Adder(bits: $0, technology: t) }
        registers = (1...Self.maxBits).map { FlipFlop(bits: $0, technology: t) }
        unitWire = Interconnect(lengthUM: 1, busWidthBits: busWidthBits, technology: t)
        pooling = PoolingStage(bits: activationBits, technology: t)
        buffers = DaismVariant.allCases.flatMap { v in
            (0...8).map { n in
                let rows = settings.rows / v.rowsPerWeight(bits: max(n, 1)), slots = settings.cols / (v.columnsPerWeight(bits: max(n, 1)) + 1)
                return SRAMBuffer(capacityBits: max(1, 2 * (rows * n + slots * activationBits)), busWidthBits: CrossbarArchitecture.defaultBusWidthBits,
                                  technology: t)
            }
        }
    }

    func buffer(_ v: DaismVariant, bits n: Int) -> SRAMBuffer { buffers[DaismVariant.allCases.firstIndex(of: v)! * 9 + n] }

    func adder(_ bits: Int) -> Adder { adders[min(bits, Self.maxBits) - 1] }
    func register(_ bits: Int) -> FlipFlop { registers[min(bits, Self.maxBits) - 1] }
}

/// How one layer maps onto DAISM arrays: counts only, priced by `DaismArray.cost`.
public struct DaismMapping: Sendable, Hashable {
    public let matrixRows: Int, outputs: Int
    /// Bit lines per slot, slots per array row, weight rows per array.
    public let slotWidth: Int, slotsPerRow: Int, weightRowsPerArray: Int
    public let rowBlocks: Int, colBlocks: Int, arrays: Int
    public let positions: Int
    /// Array reads per inference: every weight row of every column block, per output position.
    public let reads: Int
    /// Reads one array makes in series per output position.
    public let serialReads: Int
    /// Bits of the signed accumulator of one slot.
    public let accumulatorBits: Int
    public let macs: Int

    public init(layer: Layer, inChannels: Int, outChannels: Int, variant: DaismVariant, bits: Int, settings: DaismSettings) {
        matrixRows = layer.weightRows(inChannels: inChannels)
        outputs = outChannels
        slotWidth = variant.columnsPerWeight(bits: bits) + 1
        slotsPerRow = settings.cols / slotWidth
        weightRowsPerArray = settings.rows / variant.rowsPerWeight(bits: bits)
        rowBlocks = (matrixRows + weightRowsPerArray - 1) / weightRowsPerArray
        colBlocks = (outputs + slotsPerRow - 1) / slotsPerRow
        arrays = rowBlocks * colBlocks
        positions = layer.outputPositions
        reads = positions * matrixRows * colBlocks
        serialReads = min(weightRowsPerArray, matrixRows)
        accumulatorBits = 2 * bits + ceilLog2(serialReads) + 1
        macs = layer.macs(inChannels: inChannels, outChannels: outChannels)
    }
}
