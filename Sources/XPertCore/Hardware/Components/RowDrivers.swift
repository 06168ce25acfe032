/// The word-line drivers of one crossbar: a switch matrix of transmission gates with a DFF
/// per row that applies the input bits (NeuroSim `NewSwitchMatrix`, 1T1R parallel read).
///
/// Its energy is what it takes to activate one row: charge the access gates along the word
/// line, pass the read and access voltages, clock the row's DFF.
public struct RowDrivers: HardwareComponent, Hashable {
    public let rows: Int
    public let cols: Int
    /// Area of all the drivers of the array, um^2.
    public let areaUM2: Double
    /// Energy per activated row, pJ.
    public let energyPJ: Double
    /// Word-line rise time: driver through the word line to its far end, ns.
    public let latencyNS: Double

    public init(rows: Int, cols: Int, cell: MemoryCell = .rram1T1R, device: DeviceParameters = .neuroSimDefault,
                technology t: Technology) {
        self.rows = rows
        self.cols = cols
        let g = ArrayGeometry(rows: rows, cols: cols, cell: cell, device: device, technology: t)
        let c = t.cells
        let f = t.featureSizeM
        let tgN = c.inverter.nmosWidthM, tgP = c.inverter.pmosWidthM

        // Layout: gates stacked in columns beside the array, 4 transmission gates per row, and
        // a column of DFFs.
        let cellHeight = DesignRule.cellHeightF * f
        let perColumnMax = max(Int(g.heightM / cellHeight), 1)
        let tgColumns = (rows + perColumnMax - 1) / perColumnMax
        let perColumn = (rows + tgColumns - 1) / tgColumns
        let tgHeight = g.heightM / Double(perColumn)
        let tgWidth = t.gateWidthM(.inv, inputs: 1, nmosWidthM: tgN, pmosWidthM: tgP, heightM: tgHeight)
        let dffPerColumn = min(max(Int(g.heightM / c.minInverter.heightM), 1), rows)
        let dffColumns = (rows + dffPerColumn - 1) / dffPerColumn
        let dffWidth = 12 * c.minInverter.widthM * Double(dffColumns)
        areaUM2 = g.heightM * (4 * tgWidth * Double(tgColumns) + dffWidth) * 1e12

        // Per activated row: the word line (access gates and wire) to VDD; one gate passes the
        // access voltage (2 drains), two pass the read voltage (5 drains); three gates open;
        // the row's DFF is clocked.
        let drain = t.outputCapF(.inv, inputs: 1, nmosWidthM: tgN, pmosWidthM: tgP, heightM: tgHeight)
        let va = device.accessVoltageV, vr = device.readVoltageV, vdd2 = t.vddV * t.vddV
        let switchJ = 2 * drain * va * va + 5 * drain * vr * vr + 3 * (c.tgGateCapNF + c.tgGateCapPF) * vdd2
        energyPJ = (g.wordLineCapF * vdd2 + switchJ + c.dffBitEnergyJ) * 1e12
        latencyNS = Self.wordLineDelayS(geometry: g, drainCapF: drain, technology: t) * 1e9
    }

    /// Word-line rise time (NeuroSim `NewSwitchMatrix::CalculateLatency`): the transmission
    /// gate in the linear region charging its 5 drains and the word line, plus the line's
    /// distributed RC.
    static func wordLineDelayS(geometry g: ArrayGeometry, drainCapF: Double? = nil, technology t: Technology) -> Double {
        let c = t.cells
        let drain = drainCapF ?? c.tgDrainCapF
        let resTg = t.onResistanceOhm(widthM: c.inverter.nmosWidthM, pmos: false) * DesignRule.linearRegionRatio
        let tau = resTg * (5 * drain + g.wordLineCapF) + g.wordLineResistanceOhm * g.wordLineCapF / 2
        return horowitz(tauS: tau).delayS
    }
}
