/// A register of `bits` master-slave D flip-flops (NeuroSim `DFF.cpp`).
///
/// Energy is one clocked load of all bits at NeuroSim's DFF switching activity (0.5).
public struct FlipFlop: HardwareComponent, Hashable {
    public let bits: Int
    /// Area of the register, um^2.
    public let areaUM2: Double
    /// Energy of one clocked load, pJ.
    public let energyPJ: Double
    /// Half a 1 GHz clock, ns.
    public let latencyNS: Double

    public init(bits: Int, technology t: Technology) {
        self.bits = bits
        let c = t.cells
        areaUM2 = Double(bits) * c.dffBitAreaM2 * 1e12
        energyPJ = Double(bits) * c.dffBitEnergyJ * NeuroSimCalibration.flipFlopActivity * 1e12
        latencyNS = dffLatencyNS
    }
}

/// A digital multiplexer selecting one of `inputs` words of `bits` bits: full-swing
/// transmission gates and their one-hot decoder (NeuroSim `Mux.cpp` digital mode and
/// `RowDecoder` in mux mode).
public struct Mux: HardwareComponent, Hashable {
    public let inputs: Int
    public let bits: Int
    /// Area of gates and decoder, um^2.
    public let areaUM2: Double
    /// Energy of one selection, pJ.
    public let energyPJ: Double
    /// Decode then pass, ns.
    public let latencyNS: Double

    public init(inputs: Int, bits: Int, technology t: Technology) {
        self.inputs = inputs
        self.bits = bits
        let c = t.cells
        let tg = c.inverter
        let decoder = AddressDecoder(addressBits: ColumnSelect.ceilLog2(inputs), mux: true, capLoad1F: 0, technology: t)
        areaUM2 = (Double(inputs * bits) * tg.areaM2 + decoder.areaM2) * 1e12
        // The selected word's gates open and pass full-swing data (2 drains per gate).
        let b = Double(bits), vdd2 = t.vddV * t.vddV
        energyPJ = ((c.tgGateCapNF + 2 * c.tgDrainCapF) * b * vdd2 + decoder.readEnergyJ) * 1e12
        let passS = 2.3 * c.tgResistanceOhm * 2 * (c.tgDrainCapF + 0.5 * c.tgGateCapNF + 0.5 * c.tgGateCapPF)
        latencyNS = (passS + decoder.latencyS) * 1e9
    }
}

/// A max-pooling unit: a network of bit-serial comparators (NeuroSim `MaxPooling.cpp`,
/// `Comparator.cpp`).
///
/// `window` is the number of values pooled (k x k). The comparator network is NeuroSim's for
/// a window of `ceil(sqrt(window))` values, the convention of the reference figures (their
/// `window=4` row is NeuroSim's `MaxPooling` with window 2: one comparator, two stages).
public struct MaxPool: HardwareComponent, Hashable {
    public let window: Int
    public let bits: Int
    /// Comparators of `bits` bits in the unit.
    public let comparators: Int
    /// Area of one unit, um^2.
    public let areaUM2: Double
    /// Energy of one pooling operation, pJ.
    public let energyPJ: Double
    /// Latency of one pooling operation, ns.
    public let latencyNS: Double

    public init(window: Int, bits: Int, technology t: Technology) {
        precondition(window >= 1 && bits >= 1, "a pooling window has values and bits")
        self.window = window
        self.bits = bits
        var side = Int(Double(window).squareRoot())
        if side * side < window { side += 1 }
        // Comparator tree over `side` values (MaxPooling::Initialize).
        var n = side, count = 0, stages = 0
        let odd = n % 2
        while n != 0 { count += n / 2; stages += 1; n /= 2 }
        count += odd
        stages += odd
        comparators = count

        let c = t.cells
        let f = t.featureSizeM
        let inv = c.inverter, nand2 = c.nand2, nand3 = c.nand3, nor2 = c.nor2
        let minN = DesignRule.minNMOSWidthF * f
        let wideNor = t.enlargedGate(.nor, inputs: bits, nmosWidthM: Double(2 * bits) * minN,
                                     pmosWidthM: t.pnSizeRatio * minN)
        let b = Double(bits), k = Double(count)
        // Per bit: a 1-bit comparator (4 INV, 4 NAND2, 3 NAND3) and 5 enable inverters; per
        // comparator: 3 TG + 3 INV (6 inverter areas), an AND, a NOR2 and a bits-input NOR.
        let comparatorM2 = 4 * inv.areaM2 + 4 * nand2.areaM2 + 3 * nand3.areaM2
        let unitM2 = (comparatorM2 + 5 * inv.areaM2) * b + 6 * inv.areaM2 + (nand2.areaM2 + inv.areaM2)
            + nor2.areaM2 + wideNor.areaM2
        areaUM2 = unitM2 * k * 1e12

        let vdd2 = t.vddV * t.vddV
        let controlJ = vdd2 * NeuroSimCalibration.controlActivity * ((nand2.inputCapF + inv.outputCapF)
            + (nor2.inputCapF + inv.outputCapF) + 2 * (inv.inputCapF + inv.outputCapF)
            + (wideNor.inputCapF + inv.outputCapF))
        let comparatorJ = vdd2 * NeuroSimCalibration.controlActivity * (4 * (inv.inputCapF + inv.outputCapF)
            + 4 * (nand2.inputCapF + nand2.outputCapF) + 3 * (nand3.inputCapF + nand3.outputCapF))
        // A bit-serial comparison stops half way on average.
        energyPJ = (controlJ + comparatorJ * b / 2) * k * 1e12

        // Comparator.cpp for a 1-bit comparator, as MaxPooling instantiates it (its
        // "(bits - 2) intermediate stages" term is then -1 stage pair).
        let rN2 = 2 * t.onResistanceOhm(widthM: nand2.nmosWidthM, pmos: false)
        let rP3 = t.onResistanceOhm(widthM: nand3.pmosWidthM, pmos: true)
        let down = rN2 * (nand2.outputCapF + nand3.inputCapF), up = rP3 * (nand3.outputCapF + nand2.inputCapF)
        let s1 = horowitz(tauS: down)
        let s2 = horowitz(tauS: up, rampInput: s1.rampOutput)
        let s3 = horowitz(tauS: down, rampInput: s2.rampOutput)
        let s4 = horowitz(tauS: up, rampInput: s3.rampOutput)
        let s5 = horowitz(tauS: down, rampInput: s4.rampOutput)
        let s6 = horowitz(tauS: rP3 * (nand3.outputCapF + 2 * inv.outputCapF), rampInput: s5.rampOutput)
        let comparatorS = s1.delayS + s2.delayS - (s3.delayS + s4.delayS) + s5.delayS + s6.delayS
        let rInv = 2 * t.onResistanceOhm(widthM: inv.nmosWidthM, pmos: false)
        let norS = horowitz(tauS: 2 * t.onResistanceOhm(widthM: wideNor.nmosWidthM, pmos: false)
                            * (2 * inv.inputCapF + b * inv.outputCapF)).delayS
        let invStage = horowitz(tauS: rInv * (inv.inputCapF + wideNor.outputCapF))
        let tgS = horowitz(tauS: rInv * 2 * inv.inputCapF, rampInput: invStage.rampOutput).delayS
        latencyNS = (comparatorS * b / 2 + norS + invStage.delayS + tgS) * Double(stages) * 1e9
    }
}

/// A single logic gate of NeuroSim's standard cells: inverter, 2-input NAND or 2-input NOR.
///
/// Energy and latency are for switching its output into one identical gate.
public struct LogicGate: HardwareComponent, Hashable {
    /// The gate's function: inverter (NOT), 2-input NAND, 2-input NOR.
    public enum Kind: String, Sendable, Hashable, CaseIterable { case not, nand, nor }

    public let kind: Kind
    /// Layout area, um^2.
    public let areaUM2: Double
    /// Energy of one output transition, pJ.
    public let energyPJ: Double
    /// Delay of one output transition, ns.
    public let latencyNS: Double

    public init(_ kind: Kind, technology t: Technology) {
        self.kind = kind
        let c = t.cells
        let gate: GateLayout, r: Double
        switch kind {
        case .not: gate = c.inverter; r = t.onResistanceOhm(widthM: gate.nmosWidthM, pmos: false)
        case .nand: gate = c.nand2; r = 2 * t.onResistanceOhm(widthM: gate.nmosWidthM, pmos: false)
        case .nor: gate = c.nor2; r = 2 * t.onResistanceOhm(widthM: gate.pmosWidthM, pmos: true)
        }
        areaUM2 = gate.areaM2 * 1e12
        let load = gate.outputCapF + gate.inputCapF
        energyPJ = load * t.vddV * t.vddV * 1e12
        latencyNS = horowitz(tauS: r * load).delayS * 1e9
    }
}
