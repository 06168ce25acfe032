import Foundation

/// An on-chip SRAM buffer of `capacityBits` bits accessed `busWidthBits` bits at a time
/// (NeuroSim `Buffer.cpp`, SRAM mode): the cell array (one word per line), a word-line
/// decoder, bit-line prechargers and write drivers.
///
/// Energy is per bit moved (the mean of a read and a write); latency is one access of a
/// whole bus word.
public struct SRAMBuffer: HardwareComponent, Hashable {
    public let capacityBits: Int
    public let busWidthBits: Int
    /// Area of the buffer, um^2.
    public let areaUM2: Double
    /// Energy per bit read or written (mean of the two), pJ.
    public let energyPJ: Double
    /// Read access of one bus word, ns.
    public let latencyNS: Double
    /// Energy per bit read, pJ.
    public let readEnergyPerBitPJ: Double
    /// Energy per bit written, pJ.
    public let writeEnergyPerBitPJ: Double
    /// Write access of one bus word, ns.
    public let writeLatencyNS: Double

    /// Energy per bit read or written, pJ (same as `energyPJ`).
    public var energyPerBitPJ: Double { energyPJ }

    /// The bit-line swing a sense amplifier resolves, V (NeuroSim `Param.cpp`, `minSenseVoltage`).
    static let senseVoltageV = 0.1

    public init(capacityBits: Int, busWidthBits: Int, technology t: Technology) {
        precondition(capacityBits >= 1 && busWidthBits >= 1, "a buffer holds bits on a bus")
        self.capacityBits = capacityBits
        self.busWidthBits = busWidthBits
        let c = t.cells
        let f = t.featureSizeM
        let cell = MemoryCell.sram
        let lines = (capacityBits + busWidthBits - 1) / busWidthBits
        let width = Double(busWidthBits) * cell.widthF * f
        let height = Double(lines) * cell.heightF * f
        let capPerM = t.wireCapacitanceFFPerUM * 1e-15 / 1e-6
        let bitLineCap = height * capPerM
        let bitLineOhm = height * t.wireResistanceOhmPerUM * 1e6
        let vdd2 = t.vddV * t.vddV
        let word = Double(busWidthBits)

        let decoder = AddressDecoder(addressBits: ColumnSelect.ceilLog2(lines), mux: false, capLoad1F: width * capPerM,
                              layoutHeightM: height, technology: t)
        // Precharger.cpp: a precharge PMOS (6 F) and two equalisers (2 F), widened, per column.
        let pre = t.enlarged(nmosWidthM: 0, pmosWidthM: 6 * f).pmos
        let eq = t.enlarged(nmosWidthM: 0, pmosWidthM: DesignRule.minNMOSWidthF * f).pmos
        let cellHeight = DesignRule.cellHeightF * f
        let preWidth = t.gateWidthM(.inv, inputs: 1, nmosWidthM: 0, pmosWidthM: pre, heightM: cellHeight)
        let eqWidth = t.gateWidthM(.inv, inputs: 1, nmosWidthM: 0, pmosWidthM: eq, heightM: cellHeight)
        func rowsOfUnits(_ unitWidth: Double) -> Double {
            let perRow = min(max(Int(width / unitWidth), 1), busWidthBits)
            return Double((busWidthBits + perRow - 1) / perRow)
        }
        let prechargerM2 = width * rowsOfUnits(max(preWidth, eqWidth)) * 3 * t.regionHeightM(cellHeight)
        // SRAMWriteDriver.cpp: three inverters stacked per column.
        let inv = c.inverter
        let writeDriverM2 = width * rowsOfUnits(inv.widthM) * 3 * inv.heightM
        areaUM2 = (width * height + decoder.areaM2 + prechargerM2 + writeDriverM2) * 1e12

        // Per access of one word: one decode; both bit lines of every column precharged on a
        // read, one per column and the write drivers on a write.
        let readJ = decoder.readEnergyJ + bitLineCap * vdd2 * word * 2
        let writeJ = decoder.writeEnergyJ + bitLineCap * vdd2 * word + (inv.outputCapF + inv.inputCapF) * vdd2 * word
        readEnergyPerBitPJ = readJ / word * 1e12
        writeEnergyPerBitPJ = writeJ / word * 1e12
        energyPJ = (readEnergyPerBitPJ + writeEnergyPerBitPJ) / 2

        // Read: decode, precharge, then the cell discharges the bit line by the sense swing.
        let preOut = t.drainCapF(widthM: pre, pmos: true, heightM: cellHeight) + t.drainCapF(widthM: eq, pmos: true, heightM: cellHeight)
        let prechargeS = horowitz(tauS: t.onResistanceOhm(widthM: pre, pmos: true) * (bitLineCap + preOut)
                                  + bitLineOhm * bitLineCap / 2).delayS
        let access = cell.accessWidthF * f
        let accessOhm = t.onResistanceOhm(widthM: access, pmos: false)
        let accessCap = t.drainCapF(widthM: access, pmos: false, heightM: cell.widthF * f)
        let pullDownOhm = t.onResistanceOhm(widthM: 2 * f, pmos: false)
        var tau = (accessOhm + pullDownOhm) * (accessCap + bitLineCap) + bitLineOhm * bitLineCap / 2
        tau *= log(t.vddV / (t.vddV - Self.senseVoltageV / 2))
        let bitLineS = horowitz(tauS: tau, rampInput: decoder.rampOutput).delayS
        latencyNS = (decoder.latencyS + prechargeS + bitLineS) * 1e9
        // Write: decode, precharge, write driver through the bit line.
        let d1 = horowitz(tauS: t.onResistanceOhm(widthM: inv.pmosWidthM, pmos: true) * (inv.outputCapF + inv.inputCapF))
        let d2 = horowitz(tauS: t.onResistanceOhm(widthM: inv.nmosWidthM, pmos: false) * (bitLineCap + inv.outputCapF)
                          + bitLineOhm * bitLineCap / 2, rampInput: d1.rampOutput)
        writeLatencyNS = (decoder.latencyS + prechargeS + d1.delayS + d2.delayS) * 1e9
    }
}
