/// The standard cells of one technology node that NeuroSim's peripheral circuits are built
/// from, laid out once so that component models only combine their figures.
///
/// Sizing follows NeuroSim: minimum devices are 2 F (NMOS) and 2 F x (PMOS/NMOS on-current
/// ratio) (PMOS), widened to fill the 28 F cell height where NeuroSim calls `EnlargeSize`.
struct StandardCells: Sendable, Hashable {
    /// Minimum NMOS alone in a cell (the SAR ADC's and sense amplifier's unit), m^2.
    var nmosAreaM2: Double
    /// Minimum PMOS alone in a cell, m^2.
    var pmosAreaM2: Double
    /// Minimum inverter, not widened (DFF layout, repeaters).
    var minInverter: GateLayout
    /// Inverter widened to the cell height.
    var inverter: GateLayout
    /// 2-input NAND (NMOS 4 F), widened.
    var nand2: GateLayout
    /// 3-input NAND (NMOS 6 F), widened.
    var nand3: GateLayout
    /// 2-input NOR (NMOS 8 F), widened.
    var nor2: GateLayout
    /// Decoder output driver: inverter of 2x minimum width, not widened.
    var driverInverter: GateLayout
    /// Transmission gate of widened minimum devices: gate capacitances and drain capacitance
    /// in a 28 F cell.
    var tgGateCapNF: Double
    var tgGateCapPF: Double
    var tgDrainCapF: Double
    /// Parallel on-resistance of that transmission gate in the linear region, ohm.
    var tgResistanceOhm: Double
    /// Dynamic energy of one DFF bit clocked with its data switching, J (NeuroSim `DFF.cpp`,
    /// before the switching-activity factor).
    var dffBitEnergyJ: Double
    /// Layout area of one DFF bit (12 minimum inverters), m^2.
    var dffBitAreaM2: Double
    /// Ripple-carry adder delay (NeuroSim `Adder.cpp`): the first two NAND stages, each
    /// further bit, and the two stages before the output; the output stage depends on the load.
    var adderLeadS: Double
    var adderPerBitS: Double
    var adderTailS: Double
    var adderOutputRampInput: Double
    /// Repeated bus wire per unit length (NeuroSim `HTree.cpp`).
    var repeatedWire: RepeatedWire

    static let placeholder: StandardCells = {
        let g = GateLayout(nmosWidthM: 0, pmosWidthM: 0, heightM: 0, widthM: 0, inputCapF: 0, outputCapF: 0)
        return StandardCells(nmosAreaM2: 0, pmosAreaM2: 0, minInverter: g, inverter: g, nand2: g, nand3: g, nor2: g,
                             driverInverter: g, tgGateCapNF: 0, tgGateCapPF: 0, tgDrainCapF: 0, tgResistanceOhm: 0,
                             dffBitEnergyJ: 0, dffBitAreaM2: 0, adderLeadS: 0, adderPerBitS: 0, adderTailS: 0,
                             adderOutputRampInput: 0,
                             repeatedWire: RepeatedWire(delaySPerM: 0, energyJPerM: 0, spacingM: 0))
    }()

    private init(nmosAreaM2: Double, pmosAreaM2: Double, minInverter: GateLayout, inverter: GateLayout, nand2: GateLayout, nand3: GateLayout,
                 nor2: GateLayout, driverInverter: GateLayout, tgGateCapNF: Double, tgGateCapPF: Double, tgDrainCapF: Double,
                 tgResistanceOhm: Double, dffBitEnergyJ: Double, dffBitAreaM2: Double, adderLeadS: Double,
                 adderPerBitS: Double, adderTailS: Double, adderOutputRampInput: Double,
                 repeatedWire: RepeatedWire) {
        self.nmosAreaM2 = nmosAreaM2; self.pmosAreaM2 = pmosAreaM2; self.minInverter = minInverter
        self.inverter = inverter; self.nand2 = nand2; self.nand3 = nand3; self.nor2 = nor2
        self.driverInverter = driverInverter; self.tgGateCapNF = tgGateCapNF; self.tgGateCapPF = tgGateCapPF
        self.tgDrainCapF = tgDrainCapF; self.tgResistanceOhm = tgResistanceOhm; self.dffBitEnergyJ = dffBitEnergyJ
        self.dffBitAreaM2 = dffBitAreaM2; self.adderLeadS = adderLeadS; self.adderPerBitS = adderPerBitS
        self.adderTailS = adderTailS; self.adderOutputRampInput = adderOutputRampInput
        self.repeatedWire = repeatedWire
    }

    init(_ t: Technology) {
        let f = t.featureSizeM
        let minN = DesignRule.minNMOSWidthF * f
        let minP = t.pnSizeRatio * minN
        let h = DesignRule.cellHeightF * f
        nmosAreaM2 = t.gate(.inv, nmosWidthM: minN, pmosWidthM: 0).areaM2
        pmosAreaM2 = t.gate(.inv, nmosWidthM: 0, pmosWidthM: minP).areaM2
        minInverter = t.gate(.inv, nmosWidthM: minN, pmosWidthM: minP)
        inverter = t.enlargedGate(.inv, nmosWidthM: minN, pmosWidthM: minP)
        nand2 = t.enlargedGate(.nand, inputs: 2, nmosWidthM: 2 * minN, pmosWidthM: minP)
        nand3 = t.enlargedGate(.nand, inputs: 3, nmosWidthM: 3 * minN, pmosWidthM: minP)
        nor2 = t.enlargedGate(.nor, inputs: 2, nmosWidthM: 4 * minN, pmosWidthM: minP)
        driverInverter = t.gate(.inv, nmosWidthM: 2 * minN, pmosWidthM: 2 * minP)

        let tgN = inverter.nmosWidthM, tgP = inverter.pmosWidthM
        tgGateCapNF = t.gateCapF(widthM: tgN)
        tgGateCapPF = t.gateCapF(widthM: tgP)
        tgDrainCapF = t.outputCapF(.inv, inputs: 1, nmosWidthM: tgN, pmosWidthM: tgP, heightM: h)
        let gN = 1 / t.onResistanceOhm(widthM: tgN, pmos: false), gP = 1 / t.onResistanceOhm(widthM: tgP, pmos: true)
        tgResistanceOhm = DesignRule.linearRegionRatio / (gN + gP)

        // DFF.cpp: master-slave latch pair; clocked inverters and transmission gates, then
        // the D input, feedback and Q output nodes.
        let vdd2 = t.vddV * t.vddV
        let inv = inverter
        dffBitEnergyJ = vdd2 * ((inv.inputCapF + inv.outputCapF) * 4 + tgGateCapNF * 2 + tgGateCapPF * 2
            + (tgDrainCapF * 3 + inv.inputCapF) + (tgDrainCapF + inv.outputCapF) + (inv.inputCapF + inv.outputCapF))
        dffBitAreaM2 = 12 * minInverter.widthM * minInverter.heightM

        // Adder.cpp: alternating NAND pull-down (2 in series) and pull-up stages.
        let rDown = 2 * t.onResistanceOhm(widthM: nand2.nmosWidthM, pmos: false)
        let rUp = t.onResistanceOhm(widthM: nand2.pmosWidthM, pmos: true)
        let cIn = nand2.inputCapF, cOut = nand2.outputCapF
        let s1 = horowitz(tauS: rDown * (cOut + 3 * cIn))
        let s2 = horowitz(tauS: rUp * (cOut + 2 * cIn), rampInput: s1.rampOutput)
        let s3 = horowitz(tauS: rDown * (cOut + 3 * cIn), rampInput: s2.rampOutput)
        let s4 = horowitz(tauS: rUp * (cOut + 2 * cIn), rampInput: s3.rampOutput)
        let s5 = horowitz(tauS: rDown * (cOut + 3 * cIn), rampInput: s4.rampOutput)
        let s6 = horowitz(tauS: rUp * (cOut + cIn), rampInput: s5.rampOutput)
        adderLeadS = s1.delayS + s2.delayS
        adderPerBitS = s3.delayS + s4.delayS
        adderTailS = s5.delayS + s6.delayS
        adderOutputRampInput = s6.rampOutput
        repeatedWire = Interconnect.repeatedWire(technology: t, minInverter: minInverter)
    }
}
