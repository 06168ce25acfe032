/// The memory cells of one `rows x cols` crossbar: layout area, read and program energy.
///
/// The array's own figures, without drivers or converters: what a cell costs each time an
/// input pulse reads it, and what it costs to reprogram it.
public struct CellArray: HardwareComponent, Hashable {
    public let rows: Int
    public let cols: Int
    public let cell: MemoryCell
    /// Area of all cells, um^2.
    public let areaUM2: Double
    /// Energy of one cell read: one 1-bit input pulse on a cell in the on state, pJ.
    public let energyPJ: Double
    /// One read pulse, ns.
    public let latencyNS: Double
    /// Energy to program one cell, pJ.
    public let writeEnergyPJ: Double
    /// Time to program one row (1T1R rows are written one at a time), ns.
    public let rowWriteLatencyNS: Double

    public init(rows: Int, cols: Int, cell: MemoryCell = .rram1T1R, device: DeviceParameters = .neuroSimDefault,
                technology t: Technology) {
        self.rows = rows
        self.cols = cols
        self.cell = cell
        let f = t.featureSizeM
        areaUM2 = Double(rows * cols) * cell.areaF2 * f * f * 1e12
        latencyNS = device.readPulseWidthNS
        let g = ArrayGeometry(rows: rows, cols: cols, cell: cell, device: device, technology: t)
        let vdd2 = t.vddV * t.vddV
        let rowSettleS = RowDrivers.wordLineDelayS(geometry: g, technology: t)
        switch cell {
        case .rram1T1R:
            // NeuroSim plug-in (main.cpp): cell energy = V^2 x pulse / R, with R the cell plus
            // its access transistor plus the wire to the far corner (wire-aware programming).
            let path = device.accessResistanceOhm + g.cornerWireOhm
            let vr = device.readVoltageV
            energyPJ = vr * vr * device.readPulseWidthNS * 1e-9 / (device.onResistanceOhm + path) * 1e12
            // Programming current flows through the cell in its starting (off) state; the word
            // line is charged once for all columns; the source-line switch swings three
            // transmission-gate drains to the write voltage (SwitchMatrix.cpp, 1T1R columns).
            let vw = device.writeVoltageV
            let programming = vw * vw * device.writePulseWidthNS * 1e-9 * device.writePulses
                / (device.offResistanceOhm + path)
            let line = vdd2 * g.wordLineCapF * device.writePulses / Double(cols)
            let sourceLine = 3 * ColumnDrivers.sourceLineSwitchDrainCapF(geometry: g, device: device, technology: t) * vw * vw
            writeEnergyPJ = (programming + line + sourceLine) * 1e12
            // Two-step write (SET phase, then RESET phase) with the selected row settled first.
            rowWriteLatencyNS = 2 * (device.writePulseWidthNS * device.writePulses + rowSettleS * 1e9)
        case .sram:
            // A cell read discharges its share of the bit line from VDD; a write flips the
            // cross-coupled pair (drain and gate capacitances of the 2 F / 1 F inverters).
            let n = 2 * f, p = f, h = cell.widthF * f
            let flipCap = t.drainCapF(widthM: n, pmos: false, heightM: h) + t.drainCapF(widthM: p, pmos: true, heightM: h)
                + t.gateCapF(widthM: n) + t.gateCapF(widthM: p)
            let bitLineShare = g.bitLineCapF / Double(rows)
            energyPJ = bitLineShare * vdd2 * 1e12
            writeEnergyPJ = ((flipCap + bitLineShare) * vdd2 + vdd2 * g.wordLineCapF / Double(cols)) * 1e12
            // NeuroSim SubArray.cpp (SRAM write, average pull-up/pull-down): tau = R_pull x C_cell.
            let pull = (t.onResistanceOhm(widthM: n, pmos: false) + t.onResistanceOhm(widthM: p, pmos: true)) / 2
            rowWriteLatencyNS = (rowSettleS + horowitz(tauS: pull * flipCap).delayS) * 1e9
        }
    }
}
