/// The column multiplexer that lets `columnsPerADC` columns share one ADC, with its
/// decoder (NeuroSim `Mux` in analog mode and `RowDecoder` in mux mode).
///
/// Energy is per column read: the selected transmission gate opens and passes the read
/// voltage, and the decoder's switching is spread over the columns it selects. Latency is
/// one array read at this sharing (`ArrayRead`) through `converter`, which is what the
/// sharing changes.
public struct ColumnMux: HardwareComponent, Hashable {
    public let rows: Int
    public let cols: Int
    public let columnsPerADC: Int
    /// Mux and decoder area of the array, um^2 (zero without sharing).
    public let areaUM2: Double
    /// Energy per column read, pJ (zero without sharing).
    public let energyPJ: Double
    /// One array read at this sharing, ns.
    public let latencyNS: Double
    /// Column selection alone: decoder then transmission gate, ns.
    public let selectLatencyNS: Double

    /// - Parameter converter: what reads the selected column during the array read; the
    ///   default is the reference's 5-bit flash ADC.
    public init(rows: Int, cols: Int, columnsPerADC: Int, cell: MemoryCell = .rram1T1R,
                device: DeviceParameters = .neuroSimDefault, technology t: Technology,
                converter: ColumnConverter = .flash(bits: 5)) {
        self.rows = rows
        self.cols = cols
        self.columnsPerADC = columnsPerADC
        let g = ArrayGeometry(rows: rows, cols: cols, cell: cell, device: device, technology: t)
        let select = ColumnSelect(geometry: g, columnsPerADC: columnsPerADC, device: device, technology: t)
        areaUM2 = select.areaM2 * 1e12
        energyPJ = select.energyPerColumnJ * 1e12
        selectLatencyNS = select.latencyS * 1e9
        latencyNS = ArrayRead(geometry: g, select: select, columnsPerADC: columnsPerADC, cell: cell, device: device,
                              technology: t, converter: converter).latencyNS
    }
}

/// The column-side drivers of one crossbar: the source-line switch matrix with its DFFs,
/// plus the column multiplexer and decoder that route columns to the ADCs.
///
/// Area covers all of them, so it includes `ColumnMux`'s area; energy is per column read
/// (the source-line switches hold their state during reads, so only the mux and decoder
/// switch) and equals `ColumnMux`'s. Count either this or `ColumnMux` for the mux, not both
/// (`sourceLineSwitchAreaUM2` is the part that is not in `ColumnMux`).
public struct ColumnDrivers: HardwareComponent, Hashable {
    public let rows: Int
    public let cols: Int
    public let columnsPerADC: Int
    /// Area of all column drivers, mux and decoder included, um^2.
    public let areaUM2: Double
    /// Energy per column read, pJ.
    public let energyPJ: Double
    /// Column selection: decoder then transmission gate, ns (zero without sharing).
    public let latencyNS: Double
    /// The source-line switch matrix alone (without mux and decoder), um^2.
    public let sourceLineSwitchAreaUM2: Double

    public init(rows: Int, cols: Int, columnsPerADC: Int, cell: MemoryCell = .rram1T1R,
                device: DeviceParameters = .neuroSimDefault, technology t: Technology) {
        self.rows = rows
        self.cols = cols
        self.columnsPerADC = columnsPerADC
        let g = ArrayGeometry(rows: rows, cols: cols, cell: cell, device: device, technology: t)
        let select = ColumnSelect(geometry: g, columnsPerADC: columnsPerADC, device: device, technology: t)
        let switchMatrix = SourceLineSwitch(geometry: g, device: device, technology: t)
        sourceLineSwitchAreaUM2 = switchMatrix.areaM2 * 1e12
        areaUM2 = (switchMatrix.areaM2 + select.areaM2) * 1e12
        energyPJ = select.energyPerColumnJ * 1e12
        latencyNS = select.latencyS * 1e9
    }

    /// Drain capacitance of one source-line transmission gate, F (for the write energy).
    static func sourceLineSwitchDrainCapF(geometry g: ArrayGeometry, device: DeviceParameters,
                                          technology t: Technology) -> Double {
        SourceLineSwitch(geometry: g, device: device, technology: t).drainCapF
    }
}

/// Transmission-gate widths that keep the IR drop across the gate within tolerance for a
/// load of `loadOhm` (NeuroSim `Mux`/`SwitchMatrix::Initialize`), widened to the cell height.
private func passGateWidths(loadOhm: Double, technology t: Technology) -> (nmos: Double, pmos: Double) {
    let f = t.featureSizeM
    let resTg = loadOhm * DesignRule.irDropTolerance
    let n = t.onResistanceOhm(widthM: f, pmos: false) * f * DesignRule.linearRegionRatio / (resTg * 2)
    let p = t.onResistanceOhm(widthM: f, pmos: true) * f * DesignRule.linearRegionRatio / (resTg * 2)
    return t.enlarged(nmosWidthM: n, pmosWidthM: p)
}

/// Column multiplexer plus decoder of one array at one sharing.
struct ColumnSelect: Sendable, Hashable {
    var areaM2 = 0.0
    var energyPerColumnJ = 0.0
    var latencyS = 0.0

    init(geometry g: ArrayGeometry, columnsPerADC m: Int, device: DeviceParameters, technology t: Technology) {
        guard m > 1 else { return }
        // One gate per column, sized for the column resistance of all rows in parallel.
        let w = passGateWidths(loadOhm: g.averageCellOhm / Double(g.rows), technology: t)
        let box = t.passGateBox(nmosWidthM: w.nmos, pmosWidthM: w.pmos, folds: 1)
        let groups = g.cols / m
        let gates = Double(groups * m)
        let capN = t.gateCapF(widthM: w.nmos), capP = t.gateCapF(widthM: w.pmos)
        let drain = t.outputCapF(.inv, inputs: 1, nmosWidthM: w.nmos, pmosWidthM: w.pmos, heightM: box.heightM)
        let decoder = AddressDecoder(addressBits: Self.ceilLog2(m), mux: true, capLoad1F: capN * Double(groups),
                              capLoad2F: capP * Double(groups), technology: t)
        areaM2 = gates * box.heightM * box.widthM + decoder.areaM2
        // Per column read: its gate opens (NMOS gate to VDD) and passes the read voltage
        // (2 drains); one decode per step through the m columns of every group.
        let vr = device.readVoltageV
        energyPerColumnJ = capN * t.vddV * t.vddV + 2 * drain * vr * vr
            + decoder.readEnergyJ * Double(m) / Double(g.cols)
        // Mux.cpp: one device of the pass gate conducts; 2.3 RC to 90 %.
        let gN = 1 / t.onResistanceOhm(widthM: w.nmos, pmos: false), gP = 1 / t.onResistanceOhm(widthM: w.pmos, pmos: true)
        let resTg = DesignRule.linearRegionRatio / (gN + gP)
        let muxS = 2.3 * resTg * 2 * (drain + 0.5 * capN + 0.5 * capP)
        latencyS = muxS + decoder.latencyS
    }

    static func ceilLog2(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }
}

/// The source-line switch matrix: a transmission-gate pair and a DFF per column, laid out in
/// rows under the array (NeuroSim `SwitchMatrix`, column mode).
struct SourceLineSwitch: Sendable, Hashable {
    var areaM2: Double
    var drainCapF: Double

    init(geometry g: ArrayGeometry, device: DeviceParameters, technology t: Technology) {
        let f = t.featureSizeM
        let c = t.cells
        let cols = g.cols
        let w = passGateWidths(loadOhm: g.averageCellOhm, technology: t)
        let minCellWidth = 2 * DesignRule.polyPitchF * f
        let pairsPerRowMax = max(Int(g.widthM / (minCellWidth * 2)), 1)
        let gateRows = (cols + pairsPerRowMax - 1) / pairsPerRowMax
        let pairsPerRow = (cols + gateRows - 1) / gateRows
        let gateWidth = g.widthM / Double(pairsPerRow) / 2
        let folds = max(Int(gateWidth / (0.5 * minCellWidth)) - 1, 1)
        let box = t.passGateBox(nmosWidthM: w.nmos, pmosWidthM: w.pmos, folds: folds)
        let dffWidth = 12 * c.minInverter.widthM
        let dffPerRow = min(max(Int(g.widthM / dffWidth), 1), cols)
        let dffRows = (cols + dffPerRow - 1) / dffPerRow
        let height = box.heightM * Double(gateRows) + c.minInverter.heightM * Double(dffRows)
        areaM2 = g.widthM * height
        drainCapF = t.outputCapF(.inv, inputs: 1, nmosWidthM: w.nmos, pmosWidthM: w.pmos, heightM: box.heightM)
    }
}
