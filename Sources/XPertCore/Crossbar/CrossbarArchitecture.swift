/// The analog crossbar accelerator: composes the component models into crossbars, processing
/// elements (PEs) and tiles, and maps a layer onto them (DESIGN.md, "Hardware model").
///
/// Every component figure that depends only on the hardware and a small choice (ADC bits,
/// column sharing, adder width) is computed once here into tables; `cost` is then pure
/// arithmetic on (layer, input channels, layer design), so layers cost the same in any order.
public struct CrossbarArchitecture: Sendable {
    public let hardware: HardwareSpec
    public let weightBits: Int
    public let activationBits: Int
    /// The mapping arithmetic's geometry (slices, columns per weight, row blocks and groups).
    public let geometry: CrossbarGeometry
    /// Crossbar columns per weight: slices, doubled for differential pairs.
    public var columnsPerWeight: Int { geometry.columnsPerWeight(weightBits: weightBits) }
    /// Slices per weight magnitude.
    public var slicesPerWeight: Int { geometry.slices(weightBits: weightBits) }
    /// Columns of a crossbar that hold weights.
    public var weightColumnsPerCrossbar: Int { geometry.weightColumns }
    /// Width of the buses between buffers and crossbars.
    public let busWidthBits: Int

    let cellArray: CellArray
    let rowDrivers: RowDrivers
    /// Per column sharing (index log2(m)).
    let columnPeriphery: [ColumnPeriphery]
    /// Per ADC bits (index bits - 1).
    let sarADCs: [Figures]
    /// Per column sharing (index log2(m)), then ADC bits (index bits - 1): a flash ADC's
    /// sensing depends on the array it reads.
    let flashADCs: [[Figures]]
    /// Shift-and-add per (ADC bits - 1) * 16 + (input bits - 1).
    let shiftAdds: [Figures]
    /// Adders and the PE adder trees per partial-sum bits (index bits - 1, up to 32).
    let adders: [Figures]
    let peTrees: [Figures]
    let pooling: PoolingStage
    let tileBuffer: SRAMBuffer
    /// A wire of 1 um: wire figures are linear in length.
    let unitWire: Figures

    /// Column periphery of one crossbar at one column sharing.
    struct ColumnPeriphery: Sendable {
        /// Column drivers with the multiplexer and decoder (`ColumnDrivers`).
        var areaUM2: Double
        var energyPerColumnReadPJ: Double
        /// One array read without conversion: word line, column select, bit-line settling.
        var arrayReadNS: Double
    }

    /// A component's three figures, stored flat for the hot path.
    struct Figures: Sendable {
        var areaUM2: Double, energyPJ: Double, latencyNS: Double
        init(_ c: some HardwareComponent) { (areaUM2, energyPJ, latencyNS) = (c.areaUM2, c.energyPJ, c.latencyNS) }
    }

    /// NeuroSim's default bus width (`Param.cpp`, `busWidth` = 64 in V1.3's tile and chip buses).
    public static let defaultBusWidthBits = 64
    static let maxADCBits = 16
    static let maxPartialSumBits = 32

    public init(hardware: HardwareSpec, weightBits: Int, activationBits: Int) {
        self.hardware = hardware
        self.weightBits = weightBits
        self.activationBits = activationBits
        geometry = CrossbarGeometry(hardware: hardware)
        busWidthBits = Self.defaultBusWidthBits

        let tech = hardware.technology
        let (rows, cols, cell, device) = (hardware.rows, hardware.cols, hardware.cell, hardware.device)
        cellArray = CellArray(rows: rows, cols: cols, cell: cell, device: device, technology: tech)
        rowDrivers = RowDrivers(rows: rows, cols: cols, cell: cell, device: device, technology: tech)
        let sharings = (0...cols.trailingZeroBitCount).map { 1 << $0 }
        columnPeriphery = sharings.map { m in
            let drivers = ColumnDrivers(rows: rows, cols: cols, columnsPerADC: m, cell: cell, device: device, technology: tech)
            let read = ArrayRead(rows: rows, cols: cols, columnsPerADC: m, cell: cell, device: device,
                                 technology: tech, converter: .none)
            return ColumnPeriphery(areaUM2: drivers.areaUM2, energyPerColumnReadPJ: drivers.energyPJ, arrayReadNS: read.latencyNS)
        }
        sarADCs = (1...Self.maxADCBits).map { Figures(SARADC(bits: $0, technology: tech)) }
        flashADCs = sharings.map { m in
            let context = ADCContext(activeRows: hardware.parallelRows, onFraction: hardware.cellOnFraction,
                                     columns: cols, columnsPerADC: m, cell: cell, device: device)
            return (1...Self.maxADCBits).map { Figures(FlashADC(bits: $0, technology: tech, context: context)) }
        }
        shiftAdds = (1...Self.maxADCBits).flatMap { adc in
            (1...16).map { input in Figures(ShiftAdd(bits: adc, shiftRegisterBits: adc + input, technology: tech)) }
        }
        adders = (1...Self.maxPartialSumBits).map { Figures(Adder(bits: $0, technology: tech)) }
        peTrees = (1...Self.maxPartialSumBits).map {
            Figures(AdderTree(inputs: hardware.crossbarsPerPE, bits: $0, technology: tech))
        }
        pooling = PoolingStage(bits: activationBits, technology: tech)
        // A tile buffer holds one input and one output vector for every crossbar of the tile
        // at activation precision, double-buffered.
        let tileCrossbars = hardware.crossbarsPerPE * hardware.pesPerTile
        tileBuffer = SRAMBuffer(capacityBits: 2 * tileCrossbars * (rows + cols) * activationBits,
                                busWidthBits: busWidthBits, technology: tech)
        unitWire = Figures(Interconnect(lengthUM: 1, busWidthBits: busWidthBits, technology: tech))
    }
}
